"""Accessibility of the page itself (WCAG 2.2 AA; axe-core checks it in
tests/browser/test_accessibility.py): CSS the shell injects once per run
(components.style).

* Captions: Streamlit draws them in the text colour at 60 % opacity (#797f85 on white,
  4.04:1 with the old text colour); AA asks 4.5:1 for small text, so they get
  CAPTION_COLOR (6.2:1 on white, 5.6:1 on the sidebar's background), and the theme's text
  colour (.streamlit/config.toml) is dark enough that the faded one passes on its own.
* Links in running text are underlined (not told by colour alone), the breadcrumb's too.
* Touch targets of at least 24 × 24 px (WCAG 2.5.8): the breadcrumb's links.
* Section titles are h2 (a page has one h1, its title): sized as Streamlit's h3 was.
"""
from __future__ import annotations

from components.mobile import NARROW_PX

CAPTION_COLOR = "#59626b"
TARGET_PX = 24

CSS = f"""
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, .pp-intro,
.pp-trend figcaption {{ color: {CAPTION_COLOR} !important; opacity: 1 !important; }}
[data-testid="stMarkdownContainer"] p a, .pp-breadcrumb a {{ text-decoration: underline; }}
.pp-breadcrumb a {{ display: inline-block; min-height: {TARGET_PX}px; min-width: {TARGET_PX}px;
  line-height: {TARGET_PX}px; padding: 2px 0; }}
[data-testid="stMain"] h2 {{ font-size: 1.5rem !important; padding: .3rem 0 .2rem 0 !important; }}
@media (max-width: {NARROW_PX}px) {{
  [data-testid="stMain"] h2 {{ font-size: 1.25rem !important; }}
}}
.pp-legend-note {{ font-size: .875rem; color: {CAPTION_COLOR}; margin: .5rem 0 0 0;
  line-height: 1.45; }}
.pp-sr-only {{ position: absolute !important; width: 1px; height: 1px; padding: 0;
  margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }}
"""
