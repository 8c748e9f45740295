"""``python -m geo map`` and ``python -m geo pack``: the dashboard's map pictures and
meeting pack from the command line (the same renderer as the page)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from geo.codes import LEVELS, is_code


def _region(code: str | None) -> str:
    """'' for Indonesia; ValueError with an Indonesian message for an unknown code."""
    if code in (None, "", "00"):
        return ""
    from geo.regions.boundaries import region_names
    if not is_code(code) or code not in region_names().index:
        raise ValueError(f"kode wilayah '{code}' tidak dikenal (contoh: 62 atau 62.71)")
    return code


def _write(out: Path, payload: bytes) -> bool:
    """Write the file whole or not at all; a full disk, missing permission or read-only
    folder is named (no half file left)."""
    from geo.cache import write_bytes_atomic
    from geo.messages import write_failed
    try:
        write_bytes_atomic(out, payload)
    except OSError as exc:
        print(f"GAGAL: {write_failed(exc, out.name)}", file=sys.stderr)
        return False
    return True


def cmd_map(args) -> int:
    from geo.export.mapdata import long_for, map_data, map_level, periods
    from geo.export.render import render
    from geo.indicators import registry as indicators
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "pdf"):
        print("Galat: --out harus berakhiran .png atau .pdf", file=sys.stderr)
        return 2
    if args.indicator not in indicators.INDICATORS:
        print(f"Galat: indikator '{args.indicator}' tidak dikenal. Pilihan: "
              f"{', '.join(indicators.INDICATORS)}", file=sys.stderr)
        return 2
    region = _region(args.region)
    level = args.level or map_level(region)
    started = time.perf_counter()
    long = long_for([args.indicator], (level,), region)
    change_from = getattr(args, "change_from", None)
    split_from = getattr(args, "split_from", None)
    if (args.survey or change_from or split_from) and \
            indicators.get(args.indicator).source != "registri":
        found = periods(long, args.indicator, level, region)
        for p in filter(None, (args.survey, change_from, split_from)):
            if p not in found:
                print(f"Survei/periode '{p}' tidak ada untuk {args.indicator} di tingkat "
                      f"{level} wilayah ini. Pilihan: {', '.join(found) or '(tidak ada)'}",
                      file=sys.stderr)
                return 2
    if split_from:
        from geo.export.mapdata import latest_period
        from geo.export.splitmap import render_split
        period = args.survey or latest_period(long, args.indicator, level, region)
        pair = [map_data(long, args.indicator, region, period=p, level=level, lang=args.lang,
                         method=args.classifier) for p in (split_from, period)]
        loaded = time.perf_counter() - started
        payload, info = render_split(*pair, fmt=fmt, method=args.classifier)
        out.write_bytes(payload)
        print(json.dumps({"berkas": str(out), "judul": info.title, "ukuran_px": info.size_px,
                          "tata_letak": info.layout, "data_sampel": info.sample,
                          "periode": period, "periode_kiri": split_from,
                          "data_s": round(loaded, 2), "render_s": round(info.seconds, 2),
                          "legenda": [{"warna": c, "label": lab, "px": [round(x), round(y)]}
                                      for c, lab, (x, y) in info.swatches]},
                         ensure_ascii=False))
        return 0
    if change_from:
        from geo.export.changemap import change_map_data
        from geo.export.mapdata import latest_period
        period = args.survey or latest_period(long, args.indicator, level, region)
        if period == change_from:
            print("Galat: --change-from harus periode lain dari --survey", file=sys.stderr)
            return 2
        data = change_map_data(long, args.indicator, period, change_from, region, level,
                               args.lang)
    else:
        data = map_data(long, args.indicator, region, period=args.survey, level=level,
                        lang=args.lang, method=args.classifier)
    loaded = time.perf_counter() - started
    payload, info = render(data, fmt, labels=args.labels)
    if not _write(out, payload):
        return 2
    print(json.dumps({"berkas": str(out), "judul": info.title, "ukuran_px": info.size_px,
                      "tata_letak": info.layout, "data_sampel": info.sample,
                      "periode": data.period,
                      **({"periode_banding": data.compare, "perubahan": f"{data.compare} → "
                          f"{data.period}", "tidak_sebanding": sorted(data.special_fills)}
                         if data.compare else {}),
                      "diarsir": {str(k): sum(1 for v in data.hatch.values() if v == k)
                                  for k in (1, 2)},
                      "data_s": round(loaded, 2),
                      "render_s": round(info.seconds, 2),
                      "legenda": [{"warna": c, "label": lab, "px": [round(x), round(y)]}
                                  for c, lab, (x, y) in info.swatches]}, ensure_ascii=False))
    return 0


def cmd_pack(args) -> int:
    from geo.export.pack import build_pack
    out = Path(args.out)
    if out.suffix.lower() != ".pptx":
        print("Galat: --out harus berakhiran .pptx", file=sys.stderr)
        return 2
    started = time.perf_counter()
    agenda = None
    if args.agenda:
        from geo.meeting.store import meeting_store
        agenda = meeting_store().agenda(args.agenda)
        if agenda is None:
            raise ValueError(f"agenda {args.agenda} tidak ada (lihat: python -m geo agenda list)")
    since = None
    if args.sejak:
        from geo.meeting.records import parse_date
        since = parse_date(args.sejak, "--sejak")
    payload, slides = build_pack(_region(args.region), lang="id", agenda=agenda, since=since)
    if not _write(out, payload):
        return 2
    print(json.dumps({"berkas": str(out), "slide": [s["title"] for s in slides],
                      "tindak_lanjut_terbuka": sorted({i for s in slides
                                                       for i in s.get("tindak_lanjut", [])}),
                      "slide_data_sampel": [s["title"] for s in slides if s["sample"]],
                      "detik": round(time.perf_counter() - started, 1)}, ensure_ascii=False))
    return 0


def register(sub) -> None:
    from geo.indicators.registry import INDICATORS
    p = sub.add_parser("map", help="gambar peta (PNG 1920×1080 atau PDF A4 mendatar)")
    p.add_argument("--indicator", required=True, help=f"mis. stunting ({', '.join(INDICATORS)})")
    p.add_argument("--region", default="", help="kode wilayah (mis. 62); kosong/00 = Indonesia")
    p.add_argument("--level", choices=LEVELS,
                   help="tingkat yang digambar (default: satu tingkat di bawah wilayah)")
    p.add_argument("--survey", help='survei/periode, mis. "SSGI 2024" (default: terbaru)')
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.add_argument("--labels", action="store_true", help="tulis nama wilayah (tanpa tumpang)")
    p.add_argument("--classifier", choices=("fisher_jenks", "quantiles"), default="fisher_jenks")
    p.add_argument("--change-from", help='peta perubahan dari periode ini ke --survey, mis. '
                                         '"SKI 2023" (poin persen, 0 di tengah)')
    p.add_argument("--split-from", help='dua peta berdampingan: periode ini (kiri) dan --survey '
                                        '(kanan), satu skema kelas, mis. "SKI 2023"')
    p.add_argument("--out", required=True, help="berkas .png atau .pdf")
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("pack", help="paket rapat PPTX untuk satu wilayah")
    p.add_argument("--region", default="", help="kode wilayah (mis. 62); kosong = Indonesia")
    p.add_argument("--agenda", help="nama agenda: satu slide per tampilan, berurutan "
                                    "(python -m geo agenda list)")
    p.add_argument("--sejak", help="tindak lanjut selesai sejak tanggal ini (TTTT-BB-HH; "
                                   "bawaan: tanggal rapat sebelumnya)")
    p.add_argument("--out", required=True, help="berkas .pptx")
    p.set_defaults(func=cmd_pack)
