"""``python -m benchmarks.display [--only CASES]``: measures the display layers of geo.regions.display per case —
features, vertices, GeoJSON bytes of the source and the simplified layer, cold build,
warm (disk cache) and memo load times. Prints one line per case, then one JSON object.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable

import geopandas as gpd

from geo.regions import boundaries as regions
from geo.regions.display import (
    DECIMALS,
    TOLERANCE,
    _unit_source,
    _units,
    build_unit,
    clear_memo,
    display_layer,
    geojson_payload,
    payload_bytes,
    vertices,
)


def _first_child(code: str | None, level: str) -> str:
    codes = display_layer(level, code)["code"] if level != "desa" else \
        regions.boundaries(level, [code[:2]])["code"]
    return sorted(codes)[0]


def default_cases() -> list[tuple[str, str | None, str]]:
    """(name, parent, level) measured by bench-map."""
    kab = _first_child("62", "kabupaten")
    kec = _first_child(kab, "kecamatan")
    return [
        ("indonesia_provinsi", None, "provinsi"),
        ("indonesia_kabupaten", None, "kabupaten"),
        ("indonesia_kecamatan", None, "kecamatan"),
        ("62_kabupaten", "62", "kabupaten"),
        ("62_kecamatan", "62", "kecamatan"),
        (f"{kab}_kecamatan", kab, "kecamatan"),
        (f"{kec}_desa", kec, "desa"),
        ("62_desa", "62", "desa"),
    ]


def bench_map(cases: list[tuple[str, str | None, str]] | None = None,
              render: Callable[[gpd.GeoDataFrame, str], str] | None = None,
              out=print) -> dict:
    """Measure display layers: features, vertices, GeoJSON bytes raw vs simplified, and
    build times (cold = simplification computed from the analysis polygons; warm = read
    from the disk cache, memo cleared; memo = second call in the process).

    ``render(layer, geojson_text) -> html`` is optional: the caller (components) may pass
    a function that builds the map HTML so its size is reported too; geo never builds it.
    Returns the key figures (also printed as the last line, one JSON object).
    """
    cases = cases or default_cases()
    results: dict[str, dict] = {}
    cold_units: dict[tuple[str, str], float] = {}
    header = (f"{'case':<26}{'feat':>6}{'vert raw':>10}{'vert disp':>10}{'raw MB':>8}"
              f"{'disp MB':>9}{'cold s':>8}{'warm s':>8}{'memo ms':>9}{'json s':>8}"
              + (f"{'html MB':>9}" if render else ""))
    out(header)
    for name, parent, level in cases:
        # Cold: compute the simplification of the unit(s) (not written; timed once per unit).
        cold = 0.0
        for unit in _units(level, parent):
            if (level, unit) not in cold_units:
                _, stats = build_unit(level, unit)
                cold_units[(level, unit)] = stats.total_s
            cold += cold_units[(level, unit)]
        clear_memo()
        t = time.perf_counter()
        layer = display_layer(level, parent)
        warm = time.perf_counter() - t
        t = time.perf_counter()
        display_layer(level, parent)
        memo = time.perf_counter() - t
        src = _unit_source(level, parent or "id")
        raw = payload_bytes(geojson_payload(src, decimals=None))
        t = time.perf_counter()
        text = geojson_payload(layer, decimals=None)
        json_s = time.perf_counter() - t
        disp = payload_bytes(text)
        row = {"level": level, "parent": parent, "features": len(layer),
               "vertices_raw": vertices(src), "vertices": vertices(layer),
               "geojson_bytes_raw": raw, "geojson_bytes": disp,
               "build_cold_s": round(cold, 3), "load_warm_s": round(warm, 3),
               "memo_s": round(memo, 5), "geojson_s": round(json_s, 3)}
        line = (f"{name:<26}{len(layer):>6}{row['vertices_raw']:>10}{row['vertices']:>10}"
                f"{raw / 1e6:>8.2f}{disp / 1e6:>9.2f}{cold:>8.2f}{warm:>8.2f}{memo * 1e3:>9.2f}"
                f"{json_s:>8.2f}")
        if render:
            row["html_bytes"] = payload_bytes(render(layer, text))
            line += f"{row['html_bytes'] / 1e6:>9.2f}"
        out(line)
        results[name] = row
    key = {"kab_national_geojson_bytes": results.get("indonesia_kabupaten", {}).get("geojson_bytes"),
           "kab_national_geojson_bytes_raw":
               results.get("indonesia_kabupaten", {}).get("geojson_bytes_raw"),
           "kec_national_geojson_bytes": results.get("indonesia_kecamatan", {}).get("geojson_bytes"),
           "prov_national_geojson_bytes": results.get("indonesia_provinsi", {}).get("geojson_bytes"),
           "desa_62_geojson_bytes": results.get("62_desa", {}).get("geojson_bytes"),
           "tolerance": TOLERANCE, "decimals": DECIMALS,
           "cases": results}
    out(json.dumps(key, ensure_ascii=False, separators=(",", ":")))
    return key


def cmd_bench_map(args) -> int:
    cases = None
    if args.only:
        wanted = set(args.only.split(","))
        cases = [c for c in default_cases() if c[0] in wanted]
    bench_map(cases)
    return 0


def build_parser():
    """``python -m benchmarks.display``: the display geometry of the map, measured."""
    import argparse
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.display",
        description="ukur geometri tampilan peta: jumlah fitur, simpul, ukuran GeoJSON, "
                    "waktu penyederhanaan")
    p.add_argument("--only", help="hanya kasus ini (dipisah koma, mis. indonesia_kabupaten,62_desa)")
    p.set_defaults(func=cmd_bench_map)
    return p


if __name__ == "__main__":
    args = build_parser().parse_args()
    raise SystemExit(args.func(args))
