"""Meeting pack (PPTX) for one region: title, stunting map and rank, stunting trend, kader,
hazard exposure, connectivity, ranking table. Indonesian text; every slide says its
sources and whether its data are samples. Pictures come from geo.export (the same
renderer as the dashboard's "Unduh peta")."""
from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from geo.codes import level_of, parent_code
from geo.export import mapdata
from geo.export.charts import trend_png
from geo.export.render import render as render_map
from geo.export.text import LEVEL_NAMES, date_text, num, short_name
from geo.indicators import registry as indicators
from geo.views import ranked

SLIDE_W, SLIDE_H = 13.333, 7.5
MAP_SIZE = (16.0, 9.0)
RED, GREY, DARK = RGBColor(0xB3, 0x00, 0x00), RGBColor(0x55, 0x55, 0x55), RGBColor(0x11, 0x11, 0x11)
PACK_INDICATORS = ("stunting", "stunting_registri", "kader_per_posyandu", "posyandu",
                   "posyandu_bahaya_tinggi", "posyandu_bahaya_tinggi_pct",
                   "tanpa_internet_pct", "posyandu_tanpa_internet", "desa_blankspot")


def pack_levels(region: str) -> tuple[str, ...]:
    """Levels a pack for ``region`` reads: the region's own and the one drawn below it."""
    own = level_of(region) if region else None
    return tuple(dict.fromkeys(lv for lv in ("provinsi", own, mapdata.map_level(region)) if lv))


class _Pack:
    def __init__(self, long: pd.DataFrame, region: str, lang: str, today, posyandu_info,
                 hazard_info, hazard_zones):
        self.long, self.region, self.lang, self.today = long, region, lang, today
        self.infos = dict(posyandu_info=posyandu_info, hazard_info=hazard_info,
                          hazard_zones=hazard_zones)
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.name = mapdata.region_name(region)
        self.slides: list[dict] = []

    # ------------------------------------------------------------ building blocks
    def slide(self, title: str, sources: list[str], sample: list[str]):
        s = self.prs.slides.add_slide(self.prs.slide_layouts[5])   # "Title Only"
        t = s.shapes.title
        t.left, t.top, t.width, t.height = Inches(0.4), Inches(0.2), Inches(12.5), Inches(0.8)
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
        self.slides.append({"title": title, "sample": bool(sample), "sources": sources})
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

    def map_slide(self, title: str, data: mapdata.MapData, facts: list[tuple[str, int, bool, RGBColor]]):
        png, info = render_map(data, "png", labels=True, today=self.today, size=MAP_SIZE,
                                  title=False)
        s = self.slide(title, data.sources, data.sample_reasons)
        s.shapes.add_picture(io.BytesIO(png), Inches(0.35), Inches(1.0), width=Inches(10.4))
        self.text(s, 10.9, 1.1, 2.2, 5.6, facts)
        self.slides[-1]["map"] = info
        return s

    # ------------------------------------------------------------ slides
    def title_slide(self, sample: list[str]) -> None:
        s = self.prs.slides.add_slide(self.prs.slide_layouts[0])
        s.shapes.title.text = f"Paket Rapat Posyandu — {self.name}"
        s.shapes.title.left, s.shapes.title.top = Inches(0.8), Inches(1.8)
        s.shapes.title.width, s.shapes.title.height = Inches(11.7), Inches(1.6)
        sub = s.placeholders[1]
        sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.6), Inches(11.7), Inches(2.6)
        tf = sub.text_frame
        tf.text = f"Pokjanal Posyandu · {date_text(self.today, self.lang)}"
        lines = ["Isi: stunting (peta, peringkat, tren), kader, paparan bahaya, konektivitas, "
                 "tabel peringkat.",
                 "Prevalensi stunting: nilai survei terbit (SSGI/SKI, Kemenkes)."]
        if sample:
            lines.append("DATA SAMPEL: " + " ".join(dict.fromkeys(sample)))
        for body in lines:
            p = tf.add_paragraph()
            p.text = body
            p.font.size = Pt(18)
            if body.startswith("DATA SAMPEL"):
                p.font.color.rgb, p.font.bold = RED, True
        self.slides.append({"title": s.shapes.title.text, "sample": bool(sample),
                            "sources": []})

    def rank_line(self) -> tuple[str, str | None]:
        """'Kalimantan Tengah: peringkat 7 dari 13 provinsi (SSGI 2024)' among the region's
        siblings with a value, in the latest period that has values at its level."""
        if not self.region:
            return "", None
        level = level_of(self.region)
        parent = parent_code(self.region) or ""
        period = mapdata.latest_period(self.long, "stunting", level, parent)
        if period is None:
            return f"{self.name}: belum ada nilai survei untuk peringkat.", None
        # the view model: the same rank the dashboard's Stunting and Peringkat show
        view = ranked.from_long(self.long, "stunting", level, period, parent=parent or None)
        pos = view.position(self.region)
        where = LEVEL_NAMES[self.lang][level]
        if pos.rank is None:
            return (f"{self.name}: tidak ada nilai pada {period} "
                    f"({pos.of} {where} lain punya nilai).", period)
        return (f"{self.name}: {view.rank_text(self.region, self.lang)} {where} ({period}; "
                f"1 = tertinggi), prevalensi {num(pos.value, 1, self.lang)} %", period)

    def stunting_slides(self) -> None:
        data = self.map_data("stunting")
        if data.values["value"].notna().sum() == 0:
            data = self.map_data("stunting_registri")
        rank, rank_period = self.rank_line()
        facts = [(rank, 16, True, DARK)] if rank else []
        if rank_period:
            facts.append((f"Dihitung dari wilayah yang nilainya terbit pada {rank_period}.",
                          11, False, GREY))
        facts.append((f"Peta: {data.period or 'registri'}, "
                      f"{int(data.values['value'].notna().sum())} dari {len(data.layer)} "
                      f"{LEVEL_NAMES[self.lang][data.level]} punya nilai.", 12, False, DARK))
        self.map_slide(f"Stunting — {self.name}", data, facts)

        png, meta = trend_png(self.long, self.region, self.lang)
        s = self.slide(f"Tren stunting 2021–2024 — {self.name}",
                       ["SSGI 2021, SSGI 2022, SKI 2023, SSGI 2024 (Kemenkes), nilai terbit",
                        "target: Perpres 72/2021 (14 % pada 2024), RPJMN 2025–2029 "
                        "(14,2 % pada 2029)"], [])
        s.shapes.add_picture(io.BytesIO(png), Inches(0.4), Inches(1.05), height=Inches(5.7))
        own = meta["lines"].get(self.name, []) if self.region else []
        lines = []
        if own:
            first, last = own[0], own[-1]
            change = last["value"] - first["value"]
            word = "turun" if change < 0 else "naik"
            lines.append((f"{self.name}: {num(first['value'], 1)} % ({first['period']}) → "
                          f"{num(last['value'], 1)} % ({last['period']}), {word} "
                          f"{num(abs(change), 1)} poin persen.", 14, True, DARK))
        elif self.region:
            lines.append((f"{self.name}: belum ada nilai survei terbit.", 14, True, DARK))
        if rank:
            lines.append((rank, 12, False, DARK))
        if meta["caveat"]:
            lines.append((meta["caveat"], 12, False, RGBColor(0x8A, 0x4B, 0x00)))
        self.text(s, 10.45, 1.2, 2.6, 5.4, lines)
        self.slides[-1]["trend"] = meta

    def registry_slide(self, title: str, indicator: str, facts: list[str]) -> None:
        data = self.map_data(indicator)
        lines = [(f, 14, i == 0, DARK) for i, f in enumerate(facts)]
        self.map_slide(title, data, lines)

    def totals(self, indicator: str) -> float:
        """Sum of a count indicator over the regions drawn (the selected region's total)."""
        level = mapdata.map_level(self.region)
        rows = indicators.values(self.long, indicator, level, indicators.REGISTRY_PERIOD,
                                 self.region or None)
        return float(rows["value"].sum())

    def ranking_slides(self, period: str | None) -> None:
        level = mapdata.map_level(self.region)
        st_period = mapdata.latest_period(self.long, "stunting", level, self.region)
        cols = {}
        if st_period:
            cols[f"Stunting {st_period} (%)"] = ("stunting", st_period, 1)
        cols["Stunting registri (%)"] = ("stunting_registri", indicators.REGISTRY_PERIOD, 1)
        cols["Kader per Posyandu"] = ("kader_per_posyandu", indicators.REGISTRY_PERIOD, 2)
        cols["Posyandu tanpa internet (%)"] = ("tanpa_internet_pct", indicators.REGISTRY_PERIOD, 1)
        cols["Posyandu zona bahaya tinggi"] = ("posyandu_bahaya_tinggi",
                                               indicators.REGISTRY_PERIOD, 0)
        layer = mapdata.display_layer_names(level, self.region)
        table = layer.copy()
        for head, (ind, per, _d) in cols.items():
            v = indicators.values(self.long, ind, level, per, self.region or None)
            table[head] = table["code"].map(v.set_index("code")["value"])
        first = next(iter(cols))
        ind, per, _d = cols[first]
        view = ranked.from_long(self.long, ind, level, per, parent=self.region or None)
        table["Peringkat"] = table["code"].map(view.values.set_index("code")["rank"])
        table = table.sort_values(["Peringkat", "name"], na_position="last")
        per_slide = 18
        chunks = [table.iloc[i:i + per_slide] for i in range(0, len(table), per_slide)] or [table]
        sample = []
        info = self.infos["posyandu_info"]
        if info is not None and info.sample:
            sample.append("kolom registri (stunting registri, kader, internet, zona bahaya) "
                          "dihitung dari Posyandu sampel dan zona bahaya sampel.")
        for i, chunk in enumerate(chunks):
            title = f"Peringkat {LEVEL_NAMES[self.lang][level]} — {self.name}"
            if len(chunks) > 1:
                title += f" ({i + 1}/{len(chunks)})"
            s = self.slide(title, [f"stunting: {st_period or '-'} (Kemenkes), nilai terbit",
                                   "kolom lain: registri Posyandu"], sample)
            heads = ["Peringkat", "Wilayah"] + list(cols)
            shape = s.shapes.add_table(len(chunk) + 1, len(heads), Inches(0.4), Inches(1.05),
                                       Inches(12.5), Inches(0.3 * (len(chunk) + 1)))
            tbl = shape.table
            rest = (12.5 - 1.2 - 3.0) / (len(heads) - 2)
            for c, width in enumerate([1.2, 3.0] + [rest] * (len(heads) - 2)):
                tbl.columns[c].width = Inches(width)
            for c, head in enumerate(heads):
                tbl.cell(0, c).text = head
            for r, vals in enumerate(chunk.to_dict("records"), start=1):
                rank = vals["Peringkat"]
                cells = ["–" if pd.isna(rank) else str(int(rank)), short_name(str(vals["name"]))]
                for head, (_ind, _per, dec) in cols.items():
                    x = vals[head]
                    cells.append("–" if pd.isna(x) else num(x, dec, self.lang))
                for c, body in enumerate(cells):
                    tbl.cell(r, c).text = body
            for r in range(len(chunk) + 1):
                for c in range(len(heads)):
                    for p in tbl.cell(r, c).text_frame.paragraphs:
                        p.font.size = Pt(12 if len(chunk) <= 14 else 10)
            basis = "nilainya terbit" if st_period else "punya nilai registri"
            note = (f"Peringkat menurut {first} (1 = prevalensi tertinggi), dihitung dari "
                    f"{int(table['Peringkat'].notna().sum())} wilayah yang {basis}; "
                    "'–' = belum ada nilai.")
            self.text(s, 0.4, 6.45, 12.5, 0.4, [(note, 11, False, GREY)])

    def build(self) -> bytes:
        p_info, h_info = self.infos["posyandu_info"], self.infos["hazard_info"]
        sample = []
        if p_info is not None and p_info.sample:
            sample.append("Posyandu (kader, internet, stunting registri) adalah data buatan, "
                          "bukan registri nyata.")
        if h_info is not None and h_info.sample:
            sample.append("Zona bahaya adalah data buatan, bukan peta InaRISK.")
        self.title_slide(sample)
        self.stunting_slides()
        level = mapdata.map_level(self.region)
        kpp = indicators.values(self.long, "kader_per_posyandu", level,
                                indicators.REGISTRY_PERIOD, self.region or None)
        below = int((kpp["value"] < indicators.KADER_STANDARD).sum())
        self.registry_slide(f"Kader — {self.name}", "kader_per_posyandu", [
            f"{below} dari {len(kpp)} {LEVEL_NAMES[self.lang][level]} rata-rata di bawah "
            f"{indicators.KADER_STANDARD} kader per Posyandu (garis putus-putus).",
            f"Posyandu: {num(self.totals('posyandu'), 0)}."])
        high, total = self.totals("posyandu_bahaya_tinggi"), self.totals("posyandu")
        share = 100 * high / total if total else float("nan")
        self.registry_slide(f"Paparan bahaya — {self.name}", "posyandu_bahaya_tinggi", [
            f"{num(high, 0)} Posyandu di zona bahaya tinggi ({num(share, 1)} % dari "
            f"{num(total, 0)}).", "Zona banjir dan tanah longsor, kelas rendah–tinggi."])
        off = self.totals("posyandu_tanpa_internet")
        share = 100 * off / total if total else float("nan")
        facts = [f"{num(off, 0)} Posyandu tanpa internet ({num(share, 1)} % dari "
                 f"{num(total, 0)}).", "Sasaran: Posyandu Digital 2026."]
        bs_level = level_of(self.region) if self.region else None
        if bs_level:
            bs = indicators.values(self.long, "desa_blankspot", bs_level)
            bs = bs.loc[bs["code"] == self.region]
            if len(bs):
                last = bs.sort_values("period", key=lambda s: s.map(mapdata.period_order)).iloc[-1]
                facts.append(f"Desa blank spot ({last['period']}): {num(last['value'], 0)} "
                             "(nilai terbit).")
        self.registry_slide(f"Konektivitas — {self.name}", "tanpa_internet_pct", facts)
        self.ranking_slides(None)
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def build_pack(region: str = "", long: pd.DataFrame | None = None, lang: str = "id",
               today=None, posyandu_info=None, hazard_info=None, hazard_zones=None
               ) -> tuple[bytes, list[dict]]:
    """PPTX bytes of the meeting pack of ``region`` ("" = Indonesia) and, per slide, its
    title, whether it shows sample data and its sources. ``long``: geo.datasets.long_table
    with the registry aggregated to ``pack_levels(region)`` (built when not given)."""
    from geo import datasets
    region = "" if region in (None, "", "00") else region
    if long is None:
        long = mapdata.long_for(PACK_INDICATORS, pack_levels(region), region)
    posyandu_info = posyandu_info or datasets.posyandu_info()
    if hazard_zones is None or hazard_info is None:
        hazard_zones, hazard_info = datasets.hazard_zones()
    pack = _Pack(long, region, lang, today, posyandu_info, hazard_info, hazard_zones)
    return pack.build(), pack.slides
