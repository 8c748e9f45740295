"""The building blocks of a slide pack (PPTX, 16:9) for one region: a slide with its title,
its footer (sample notice, sources), a DATA SAMPEL stamp when it shows sample data and
speaker notes; text boxes; a map slide with the picture of geo.export.render (the same
renderer as the dashboard's "Unduh peta") and its facts beside it. geo.export.pack builds
the meeting pack from them, geo.export.meeting_slides the agenda and follow-up slides."""
from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from geo.export import mapdata
from geo.export.render import render as render_map

SLIDE_W, SLIDE_H = 13.333, 7.5
MAP_SIZE = (16.0, 9.0)
RED, GREY, DARK = RGBColor(0xB3, 0x00, 0x00), RGBColor(0x55, 0x55, 0x55), RGBColor(0x11, 0x11, 0x11)


class Deck:
    """A presentation for ``region`` and what its slides read (``long``, the data infos);
    ``slides``: per slide its title, whether it shows sample data, its sources and notes."""

    def __init__(self, long: pd.DataFrame, region: str, lang: str, today, posyandu_info,
                 hazard_info, hazard_zones, hazard_layers=None):
        self.long, self.region, self.lang, self.today = long, region, lang, today
        self.infos = dict(posyandu_info=posyandu_info, hazard_info=hazard_info,
                          hazard_zones=hazard_zones, hazard_layers=hazard_layers)
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.name = mapdata.region_name(region)
        self.slides: list[dict] = []

    def slide(self, title: str, sources: list[str], sample: list[str],
              notes: list[str] | None = None):
        """A slide with its title, its footer (sample notice, sources), a DATA SAMPEL stamp
        when it shows sample data, and speaker notes: ``notes`` (its numbers), then the
        sample notice and the sources."""
        s = self.prs.slides.add_slide(self.prs.slide_layouts[5])   # "Title Only"
        t = s.shapes.title
        t.left, t.top, t.width, t.height = Inches(0.4), Inches(0.2), \
            Inches(10.2 if sample else 12.5), Inches(0.8)
        t.text = title
        p = t.text_frame.paragraphs[0]
        p.font.size, p.font.bold = Pt(28), True
        p.alignment = 1  # left
        foot = s.shapes.add_textbox(Inches(0.4), Inches(6.85), Inches(12.5), Inches(0.55))
        tf = foot.text_frame
        tf.word_wrap = True
        para = tf.paragraphs[0]
        if sample:
            run = para.add_run()
            run.text = "DATA SAMPEL: " + " ".join(dict.fromkeys(sample)) + " "
            run.font.size, run.font.bold, run.font.color.rgb = Pt(11), True, RED
        else:
            run = para.add_run()
            run.text = "Data terbit (bukan sampel). "
            run.font.size, run.font.color.rgb = Pt(11), GREY
        run = para.add_run()
        plain = [x.split(": ", 1)[1] if x.startswith(("Sumber: ", "Source: ", "Data: "))
                 else x for x in sources]
        run.text = "Sumber: " + "; ".join(dict.fromkeys(plain)) + "."
        run.font.size, run.font.color.rgb = Pt(11), GREY
        if sample:
            stamp(s, 10.8, 0.3)
        lines = list(notes or [])
        lines.append(("DATA SAMPEL: " + " ".join(dict.fromkeys(sample))) if sample
                     else "Data terbit (bukan sampel).")
        lines.append(run.text)
        speaker_notes(s, lines)
        self.slides.append({"title": title, "sample": bool(sample), "sources": sources,
                            "notes": lines})
        return s

    def text(self, s, x, y, w, h, lines: list[tuple[str, int, bool, RGBColor]]):
        box = s.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        tf = box.text_frame
        tf.word_wrap = True
        for i, (body, size, bold, color) in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.space_after = Pt(6)
            run = p.add_run()
            run.text = body
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
        return box

    def map_data(self, indicator: str, period: str | None = None):
        return mapdata.map_data(self.long, indicator, self.region, period=period,
                                lang=self.lang, **self.infos)

    def map_slide(self, title: str, data: mapdata.MapData, facts: list[tuple[str, int, bool, RGBColor]],
                  notes: list[str] | None = None):
        # the picture is shown at 10.4 of its 16 inches: labels drawn larger, so they stay
        # >= 18 px when the slide fills a 1920x1080 projector
        png, info = render_map(data, "png", labels=True, today=self.today, size=MAP_SIZE,
                               title=False, label_scale=1.6)
        legend = f"Peta: {data.title}. Legenda: " + "; ".join(info.legend) + "."
        s = self.slide(title, data.sources, data.sample_reasons,
                       [f[0] for f in facts] + (notes or []) + [legend])
        pic = s.shapes.add_picture(io.BytesIO(png), Inches(0.35), Inches(1.0), width=Inches(10.4))
        # the picture's description (alt text) says what it draws: its title and legend
        pic._element.nvPicPr.cNvPr.set("descr", legend)
        self.text(s, 10.9, 1.1, 2.2, 5.6, facts)
        self.slides[-1]["map"] = info
        self.slides[-1]["map_data"] = data
        return s


def stamp(slide, x: float, y: float) -> None:
    """A DATA SAMPEL stamp on a slide: red bold text in a red frame on white."""
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(2.1), Inches(0.55))
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    box.line.color.rgb, box.line.width = RED, Pt(2.5)
    p = box.text_frame.paragraphs[0]
    p.alignment = 2   # centre
    run = p.add_run()
    run.text = "DATA SAMPEL"
    run.font.size, run.font.bold, run.font.color.rgb = Pt(20), True, RED


def speaker_notes(slide, lines: list[str]) -> None:
    """The slide's speaker notes: its numbers and sources, one line each."""
    slide.notes_slide.notes_text_frame.text = "\n".join(x for x in lines if x)
