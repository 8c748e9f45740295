"""Each distinct Jinja text that branca renders a map with is compiled once per process.

branca turns the output of every macro of a map element (its header, HTML and script parts)
into a new Element whose template is that text, and compiles it with Jinja on every render:
the same few dozen short texts on every view, ~7 % of a warm view's server time (py-spy,
issue 29). Compiled templates do not change and render safely from several threads, so the
short ones are kept (a view's own large script, different on every view, is not)."""
from __future__ import annotations

import functools

import branca.element
import jinja2

#: Texts longer than this are compiled each time (a view's layer: its data changes).
MAX_CACHED_CHARS = 4096


@functools.lru_cache(maxsize=1024)
def _compiled(source: str) -> jinja2.Template:
    return jinja2.Template(source)


def template(source, *args, **kwargs) -> jinja2.Template:
    """``jinja2.Template(source)``, from the cache when the text is short."""
    if args or kwargs or not isinstance(source, str) or len(source) > MAX_CACHED_CHARS:
        return jinja2.Template(source, *args, **kwargs)
    return _compiled(source)


def cache_branca_templates() -> None:
    """Make branca's elements use ``template`` (idempotent)."""
    branca.element.Template = template
