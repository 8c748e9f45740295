"""Meeting pack (PPTX) for one region: title, stunting map and rank, stunting trend, kader,
hazard exposure, connectivity, ranking table. Indonesian text; every slide says its
sources and whether its data are samples. The slides are built from the blocks of
geo.export.deck (pictures: the same renderer as the dashboard's "Unduh peta")."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from geo.codes import level_of, parent_code
from geo.export import mapdata, meeting_slides
from geo.export.charts import trend_png
from geo.export.deck import DARK, GREY, RED, Deck, speaker_notes, stamp
from geo.export.text import LEVEL_NAMES, date_text, num, short_name
from geo.hazards import types as ht
from geo.indicators import registry as indicators
from geo.indicators.hazards import hazard_indicator_id
from geo.views import ranked

PACK_INDICATORS = ("stunting", "stunting_registri", "kader_per_posyandu", "posyandu",
                   "posyandu_bahaya_tinggi", "posyandu_bahaya_tinggi_pct",
                   "tanpa_internet_pct", "posyandu_tanpa_internet", "desa_blankspot")


def pack_levels(region: str) -> tuple[str, ...]:
    """Levels a pack for ``region`` reads: the region's own and the one drawn below it."""
    own = level_of(region) if region else None
    return tuple(dict.fromkeys(lv for lv in ("provinsi", own, mapdata.map_level(region)) if lv))


class _Pack(Deck):
    """The meeting pack: the standard slides, or an agenda's views (geo.export.meeting_slides),
    then the follow-ups."""

    def title_slide(self, sample: list[str], agenda=None) -> None:
        s = self.prs.slides.add_slide(self.prs.slide_layouts[0])
        s.shapes.title.text = (f"{agenda.nama} — {self.name}" if agenda is not None
                               else f"Paket Rapat Posyandu — {self.name}")
        s.shapes.title.left, s.shapes.title.top = Inches(0.8), Inches(1.8)
        s.shapes.title.width, s.shapes.title.height = Inches(11.7), Inches(1.6)
        sub = s.placeholders[1]
        sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.6), Inches(11.7), Inches(2.6)
        tf = sub.text_frame
        tf.text = f"Pokjanal Posyandu · {date_text(self.today, self.lang)}"
        if agenda is not None:
            lines = [f"Agenda: {len(agenda.butir)} tampilan, lalu tindak lanjut."]
        else:
            lines = ["Isi: stunting (peta, peringkat, tren), kader, paparan bahaya, "
                     "konektivitas, tabel peringkat, tindak lanjut.",
                     "Prevalensi stunting: nilai survei terbit (SSGI/SKI, Kemenkes)."]
        if sample:
            lines.append("DATA SAMPEL: " + " ".join(dict.fromkeys(sample)))
            stamp(s, 10.8, 0.4)
        for body in lines:
            p = tf.add_paragraph()
            p.text = body
            p.font.size = Pt(18)
            if body.startswith("DATA SAMPEL"):
                p.font.color.rgb, p.font.bold = RED, True
        notes = [s.shapes.title.text, tf.paragraphs[0].text, *lines,
                 "Sumber tiap angka tertulis di kaki setiap slide dan di catatan pembicara."]
        speaker_notes(s, notes)
        self.slides.append({"title": s.shapes.title.text, "sample": bool(sample),
                            "sources": [], "notes": notes})

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
        self.map_slide(f"Stunting — {self.name}", data, facts, self.top_lines(data))

        png, meta = trend_png(self.long, self.region, self.lang)
        own = meta["lines"].get(self.name, []) if self.region else []
        s = self.slide(f"Tren stunting 2021–2024 — {self.name}",
                       ["SSGI 2021, SSGI 2022, SKI 2023, SSGI 2024 (Kemenkes), nilai terbit",
                        "target: Perpres 72/2021 (14 % pada 2024), RPJMN 2025–2029 "
                        "(14,2 % pada 2029)"], [],
                       [f"{self.name}: " + ", ".join(
                           f"{p['period']} {num(p['value'], 1, self.lang)} %" for p in own)
                        + "." if own else f"{self.name}: belum ada nilai survei terbit.",
                        "Target: 14 % pada 2024 (Perpres 72/2021), 14,2 % pada 2029 "
                        "(RPJMN 2025–2029)."] + ([meta["caveat"]] if meta["caveat"] else []))
        s.shapes.add_picture(io.BytesIO(png), Inches(0.4), Inches(1.05), height=Inches(5.7))
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

    def registry_slide(self, title: str, indicator: str, facts: list[str],
                       data: mapdata.MapData | None = None) -> None:
        data = data or self.map_data(indicator)
        lines = [(f, 14, i == 0, DARK) for i, f in enumerate(facts)]
        self.map_slide(title, data, lines, self.top_lines(data))

    def top_lines(self, data: mapdata.MapData, n: int = 5) -> list[str]:
        """The first regions of the map's ranking, for the speaker notes."""
        ranked = data.values.dropna(subset=["rank"]).sort_values(["rank", "code"]).head(n)
        if ranked.empty:
            return []
        unit = data.indicator.unit(self.lang)
        return ["Peringkat di peta (1 = tertinggi): " + "; ".join(
            f"{int(r)}. {short_name(str(name))} {num(v, data.indicator.decimals, self.lang)}"
            f"{' ' + unit if unit and unit != 'Posyandu' else ''}"
            for r, name, v in zip(ranked["rank"], ranked["name"], ranked["value"])) + "."]

    def hazard_slide(self) -> None:
        """Posyandu in tinggi over every hazard type present, the count of each type, and
        the map drawing the tinggi zones of every one of those types."""
        data = self.map_data("posyandu_bahaya_tinggi")
        high, total = self.totals("posyandu_bahaya_tinggi"), self.totals("posyandu")
        share = 100 * high / total if total else float("nan")
        names = [ht.label(j, self.lang) for j in data.hazard_types]
        per_type = [(ht.label(j, self.lang), self.totals(hazard_indicator_id(j)))
                    for j in data.hazard_types]
        per_type.sort(key=lambda x: -x[1])
        facts = [f"{num(high, 0)} Posyandu di zona bahaya tinggi ({num(share, 1)} % dari "
                 f"{num(total, 0)}), jenis bahaya: {_join(names).lower()}."]
        if per_type:
            facts.append("Per jenis: " + "; ".join(f"{name} {num(n, 0)}" for name, n in per_type)
                         + " Posyandu.")
        if len(per_type) > 1:
            facts.append("Posyandu di zona tinggi beberapa jenis dihitung sekali.")
        facts.append(f"Peta: zona tinggi {_join(names).lower()} (arsir)."
                     if names else "Tidak ada zona bahaya di wilayah ini.")
        self.registry_slide(f"Paparan bahaya — {self.name}", "posyandu_bahaya_tinggi", facts,
                            data)
        self.slides[-1]["hazard_types"] = list(data.hazard_types)

    def totals(self, indicator: str) -> float:
        """Sum of a count indicator over the regions drawn (the selected region's total)."""
        level = mapdata.map_level(self.region)
        rows = indicators.values(self.long, indicator, level, indicators.REGISTRY_PERIOD,
                                 self.region or None)
        return float(rows["value"].sum())

    def hazard_types(self) -> list[str]:
        layers = self.infos["hazard_layers"]
        return layers.types() if layers is not None else []

    def hazard_source(self) -> list[str]:
        info = self.infos["hazard_info"]
        return [f"zona bahaya: {mapdata._dataset_name(info, self.lang)}"] if info else []

    def table_notes(self, chunk: pd.DataFrame, cols: dict) -> list[str]:
        """The table's rows as sentences, for the speaker notes."""
        out = []
        for vals in chunk.to_dict("records"):
            rank = vals["Peringkat"]
            cells = [f"{head}: " + ("–" if pd.isna(vals[head]) else num(vals[head], dec, self.lang))
                     for head, (_i, _p, dec) in cols.items()]
            out.append(("–" if pd.isna(rank) else str(int(rank))) + ". "
                       + short_name(str(vals["name"])) + " — " + "; ".join(cells))
        return out

    def ranking_slides(self, period: str | None) -> None:
        level = mapdata.map_level(self.region)
        st_period = mapdata.latest_period(self.long, "stunting", level, self.region)
        cols = {}
        if st_period:
            cols[f"Stunting {st_period} (%)"] = ("stunting", st_period, 1)
        cols["Stunting registri (%)"] = ("stunting_registri", indicators.REGISTRY_PERIOD, 1)
        cols["Kader per Posyandu"] = ("kader_per_posyandu", indicators.REGISTRY_PERIOD, 2)
        cols["Posyandu tanpa internet (%)"] = ("tanpa_internet_pct", indicators.REGISTRY_PERIOD, 1)
        cols["Posyandu zona bahaya tinggi (semua jenis)"] = ("posyandu_bahaya_tinggi",
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
                                   "kolom lain: registri Posyandu"] + self.hazard_source(),
                           sample, self.table_notes(chunk, cols))
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
                    "'–' = belum ada nilai. Zona bahaya tinggi: "
                    f"{_join([ht.label(j, self.lang) for j in self.hazard_types()]).lower()}.")
            self.text(s, 0.4, 6.45, 12.5, 0.4, [(note, 11, False, GREY)])

    def sample_lines(self) -> list[str]:
        p_info, h_info = self.infos["posyandu_info"], self.infos["hazard_info"]
        sample = []
        if p_info is not None and p_info.sample:
            sample.append("Posyandu (kader, internet, stunting registri) adalah data buatan, "
                          "bukan registri nyata.")
        if h_info is not None and h_info.sample:
            sample.append("Zona bahaya adalah data buatan, bukan peta InaRISK.")
        return sample

    def build(self, agenda=None, followups=None, followup_long=None, since=None) -> bytes:
        """The pack: with an ``agenda`` its views in order, else the standard slides; then
        always the "Tindak lanjut" slide(s) of ``followups`` (geo.meeting.records.FollowUp)."""
        if agenda is not None:
            self.title_slide(self.sample_lines(), agenda=agenda)
            meeting_slides.agenda_slides(self, agenda, self.long)
        else:
            self.standard_slides()
        meeting_slides.followup_slides(self, followups or [], followup_long
                                       if followup_long is not None else self.long, since,
                                       self.today)
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()

    def standard_slides(self) -> None:
        self.title_slide(self.sample_lines())
        self.stunting_slides()
        level = mapdata.map_level(self.region)
        kpp = indicators.values(self.long, "kader_per_posyandu", level,
                                indicators.REGISTRY_PERIOD, self.region or None)
        below = int((kpp["value"] < indicators.KADER_STANDARD).sum())
        self.registry_slide(f"Kader — {self.name}", "kader_per_posyandu", [
            f"{below} dari {len(kpp)} {LEVEL_NAMES[self.lang][level]} rata-rata di bawah "
            f"{indicators.KADER_STANDARD} kader per Posyandu (garis putus-putus).",
            f"Posyandu: {num(self.totals('posyandu'), 0)}."])
        self.hazard_slide()
        total = self.totals("posyandu")
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



def _join(items: list[str]) -> str:
    """'a', 'a dan b', 'a, b dan c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " dan " + items[-1]


def build_pack(region: str = "", long: pd.DataFrame | None = None, lang: str = "id",
               today=None, posyandu_info=None, hazard_info=None, hazard_zones=None,
               hazard_layers=None, agenda=None, followups=None,
               since: str | None = None) -> tuple[bytes, list[dict]]:
    """PPTX bytes of the meeting pack of ``region`` ("" = Indonesia) and, per slide, its
    title, whether it shows sample data and its sources. ``long``: geo.datasets.long_table
    with the registry aggregated to ``pack_levels(region)`` (built when not given).

    ``agenda`` (geo.meeting.records.Agenda): one slide per view, in order, instead of the
    standard slides. ``followups``: the meeting's follow-ups (default: the store's); the
    last slide lists the open ones of the region and those closed since ``since`` (default:
    the previous meeting's date, geo.meeting.records.last_meeting_before)."""
    from geo import datasets
    from geo.meeting import records
    from geo.meeting.store import meeting_store
    region = "" if region in (None, "", "00") else region
    store = None
    if followups is None:
        store = meeting_store()
        followups = store.followups()
    if since is None:
        agendas = (store or meeting_store()).agendas()
        day = agenda.tanggal if agenda is not None and agenda.tanggal else \
            (today or dt.date.today()).isoformat()
        since = records.last_meeting_before(agendas, day)
    mine = records.select(followups, region=region)
    if long is None and (agenda is not None or mine):
        long = meeting_slides.agenda_long([b.view for b in (agenda.butir if agenda else ())],
                                          [i.wilayah for i in mine], pack_levels(region))
    elif long is None:
        long = mapdata.long_for(PACK_INDICATORS, pack_levels(region), region)
    posyandu_info = posyandu_info or datasets.posyandu_info()
    if hazard_layers is None or hazard_info is None:
        hazard_layers, hazard_info = datasets.hazard_layers()
    hazard_zones = hazard_layers.zones
    pack = _Pack(long, region, lang, today, posyandu_info, hazard_info, hazard_zones,
                 hazard_layers)
    return pack.build(agenda, mine, long, since), pack.slides
