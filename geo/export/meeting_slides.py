"""The meeting's slides in a pack: one map slide per agenda view, in the agenda's order
(the same renderer as ``geo map``), and the closing "Tindak lanjut" slide(s): open
follow-ups of the region with office, due date, an overdue mark and then → now, and the
follow-ups closed since the last meeting."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from pptx.util import Inches, Pt

from geo import datasets
from geo.codes import level_of
from geo.export import mapdata
from geo.export.deck import DARK, GREY, RED
from geo.export.text import LEVEL_NAMES, date_text, num
from geo.indicators import registry as indicators
from geo.meeting import records
from geo.meeting.figures import figures, needs_hazards
from geo.meeting.links import ViewLink

ROWS_PER_SLIDE = 6
MAX_CLOSED = 4
MAX_ISI = 160          # characters of a decision on a slide (the list has it whole)


def agenda_long(views: list[ViewLink], extra_regions=(), levels=()) -> pd.DataFrame:
    """One long table with what the agenda's views and the follow-ups need (and
    ``levels``): every indicator shown, the registry aggregated to the levels drawn and
    ranked."""
    levels = set(levels)
    for v in views:
        levels.add(mapdata.map_level(v.region))
        if v.region:
            levels.add(level_of(v.region))
    levels |= {level_of(r) for r in extra_regions if r}
    joined = datasets.joined_posyandu()
    inds = [v.indicator for v in views]
    hazard = datasets.hazard_classes(joined) if needs_hazards(
        [*inds, "posyandu_bahaya_tinggi"]) else None
    order = [lv for lv in ("provinsi", "kabupaten", "kecamatan", "desa") if lv in levels]
    return datasets.long_table(joined, tuple(order), hazard)


def _facts(long, view: ViewLink, md, lang: str) -> list[str]:
    lines = []
    if view.region:
        f = figures(long, view.indicator, view.region, md.period or None)
        if f.nilai is not None:
            ind = indicators.get(view.indicator)
            lines.append(f"{md.region_name}: {num(f.nilai, ind.decimals, lang)} "
                         f"{ind.unit(lang)} ({f.periode})")
        if f.peringkat is not None:
            lines.append(f"peringkat {f.rank_text()} (1 = terburuk)")
    have = int(md.values["value"].notna().sum())
    lines.append(f"{have} dari {len(md.layer)} {LEVEL_NAMES[lang][md.level]} punya nilai.")
    return lines


def agenda_slides(pack, agenda: records.Agenda, long: pd.DataFrame) -> None:
    """One slide per agenda item, in order; a view that cannot be drawn gets a slide
    saying so (the meeting's order is kept)."""
    for pos, item in enumerate(agenda.butir, start=1):
        view = item.view
        name = mapdata.region_name(view.region)
        title = f"{pos}. {item.judul or view.title(name)}"
        try:
            md = mapdata.map_data(long, view.indicator, view.region,
                                  period=view.period or None, lang=pack.lang,
                                  method=view.get("kelas") or "fisher_jenks", **pack.infos)
        except (KeyError, ValueError):
            s = pack.slide(title, [], [])
            pack.text(s, 0.6, 1.4, 12, 2, [("Tampilan ini tidak dapat digambar dari data "
                                             "saat ini.", 20, True, DARK),
                                            (item.tautan, 14, False, GREY)])
            pack.slides[-1].update(agenda=pos, tautan=item.tautan)
            continue
        facts = [(line, 14 if i == 0 else 12, i == 0, DARK)
                 for i, line in enumerate(_facts(long, view, md, pack.lang))]
        facts.append((md.title, 11, False, GREY))
        pack.map_slide(title, md, facts)
        pack.slides[-1].update(agenda=pos, tautan=item.tautan)


def _cut(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _then_now(row, decimals: int, lang: str) -> str:
    def one(v, p, r):
        if v is None or pd.isna(v):
            return "–"
        rank = f", {r}" if r else ""
        return f"{num(v, decimals, lang)} ({p}{rank})"
    return (one(row["nilai_saat_itu"], row["periode_saat_itu"], row["peringkat_saat_itu"])
            + " → " + one(row["nilai_kini"], row["periode_kini"], row["peringkat_kini"]))


def followup_slides(pack, items, long: pd.DataFrame, since: str | None,
                    today: dt.date | None = None) -> None:
    """The "Tindak lanjut" slide(s): open items of the pack's region and those closed since
    ``since`` (the previous meeting's date)."""
    today = today or dt.date.today()
    mine = records.select(items, region=pack.region)
    open_items = records.select(mine, status=records.OPEN)
    closed = records.closed_since(mine, since)
    table = records.then_now(open_items + closed, long, mapdata._names(), today)
    opened = table.loc[table["status"] != "selesai"].sort_values(["terlambat", "tenggat"],
                                                                 ascending=[False, True])
    done = table.loc[table["status"] == "selesai"]
    chunks = [opened.iloc[i:i + ROWS_PER_SLIDE] for i in range(0, len(opened), ROWS_PER_SLIDE)]
    chunks = chunks or [opened]
    info = pack.infos.get("posyandu_info")
    registry = any(indicators.get(i).source == "registri" for i in table["indikator"])
    sample = (["nilai indikator registri dihitung dari Posyandu sampel, bukan registri nyata."]
              if registry and info is not None and info.sample else [])
    when = f"sejak rapat lalu ({since})" if since else "sejauh ini"
    late = int(opened["terlambat"].astype(bool).sum()) if len(opened) else 0
    for n, chunk in enumerate(chunks):
        title = f"Tindak lanjut — {pack.name}"
        if len(chunks) > 1:
            title += f" ({n + 1}/{len(chunks)})"
        notes = [f"{len(opened)} tindak lanjut terbuka, {late} terlambat; "
                 f"{len(done)} selesai {when}."]
        for row in chunk.to_dict("records"):
            dec = indicators.get(row["indikator"]).decimals
            notes.append(f"#{row['id']} {row['nama_wilayah']}: {_cut(row['isi'], MAX_ISI)} — "
                         f"PJ {row['pj']}, tenggat {row['tenggat']}"
                         f"{' (terlambat)' if row['terlambat'] else ''}; "
                         f"{_then_now(row, dec, pack.lang)}.")
        s = pack.slide(title, ["tindak lanjut rapat Pokjanal; nilai: indikator dasbor "
                               "(saat diputuskan → periode terbaru hari ini)"], sample, notes)
        pack.slides[-1].update(tindak_lanjut=[int(i) for i in chunk["id"]])
        if chunk.empty:
            pack.text(s, 0.4, 1.2, 12.5, 0.6, [("Tidak ada tindak lanjut yang terbuka.", 16,
                                                 True, DARK)])
        else:
            heads = ["#", "Wilayah", "Keputusan", "PJ", "Tenggat", "Saat itu → kini"]
            widths = [0.5, 1.9, 4.2, 1.9, 1.4, 2.6]
            shape = s.shapes.add_table(len(chunk) + 1, len(heads), Inches(0.4), Inches(1.05),
                                       Inches(sum(widths)), Inches(0.45 * (len(chunk) + 1)))
            tbl = shape.table
            for c, w in enumerate(widths):
                tbl.columns[c].width = Inches(w)
            for c, head in enumerate(heads):
                tbl.cell(0, c).text = head
            for r, row in enumerate(chunk.to_dict("records"), start=1):
                dec = indicators.get(row["indikator"]).decimals
                due = date_text(dt.date.fromisoformat(row["tenggat"]), pack.lang) + \
                    (" TERLAMBAT" if row["terlambat"] else "")
                cells = [str(row["id"]), row["nama_wilayah"], _cut(row["isi"], MAX_ISI),
                         _cut(row["pj"], 60), due, _then_now(row, dec, pack.lang)]
                for c, body in enumerate(cells):
                    tbl.cell(r, c).text = str(body)
                    for p in tbl.cell(r, c).text_frame.paragraphs:
                        p.font.size = Pt(11)
                        if c == 4 and row["terlambat"]:
                            p.font.bold, p.font.color.rgb = True, RED
        if n == len(chunks) - 1:
            lines = [(f"Selesai {when}: {len(done)}", 14, True, DARK)]
            for row in done.head(MAX_CLOSED).to_dict("records"):
                lines.append((f"#{row['id']} {row['nama_wilayah']}: {_cut(row['isi'], 90)} — "
                              f"{row['pj']} (selesai "
                              f"{date_text(dt.date.fromisoformat(row['selesai_pada'][:10]), pack.lang)})",
                              11, False, DARK))
            if len(done) > MAX_CLOSED:
                lines.append((f"dan {len(done) - MAX_CLOSED} lainnya", 11, False, GREY))
            pack.text(s, 0.4, 5.45, 12.5, 1.35, lines)
            pack.slides[-1]["selesai"] = [int(i) for i in done["id"]]
