"""Benchmark of the import pipeline on hostile and large inputs (issue 9): prints wall time
and peak memory per case (not a test; numbers in README, "Import: cost and memory ceiling").

    python -m benchmarks.import_registry [--cases xlsx_xfd,csv_100k,csv_250k,csv_1m,geojson_200mb]
                                      [--keep DIR]

Inputs are generated into a temporary folder (never committed): the 21 KB-class XLSX with
one cell in column XFD on each of 3,000 rows, registry CSVs of 100,000 and 1,000,000 rows
(Kalimantan Tengah codes and coordinates), and a ~200 MB boundary GeoJSON (the 14
kabupaten of province 62 densified). Each case runs in a fresh Python process (the same
functions as `python -m geo import` and Kelola Data), so ``peak_mb`` is that process's
maximum resident set size, including the interpreter and libraries (``base_mb``, printed
first, is that baseline alone).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNNER = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
kind, path = sys.argv[1], sys.argv[2]
import geopandas  # noqa: F401  (libraries in the baseline, as in the app)
from geo.importers.posyandu import import_posyandu
from geo.importers.boundaries import import_boundaries
from geo.importers.names import known_codes
known_codes("desa")   # the code list every import reads (in the baseline too)
t = time.perf_counter()
if kind == "base":
    out = {{}}
elif kind == "posyandu":
    r = import_posyandu(path)
    out = {{"accepted": r.report.accepted, "rejected": r.report.rejected,
           "fatal": r.report.fatal}}
else:
    r = import_boundaries(path, "kabupaten", parent="62")
    out = {{"accepted": r.report.accepted, "rejected": r.report.rejected,
           "fatal": r.report.fatal}}
out["seconds"] = round(time.perf_counter() - t, 2)
out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
print(json.dumps(out))
"""


def make_xlsx(path: Path) -> None:
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("registri")
    ws.append(["id", "nama", "kode_desa", "lat", "lon"])
    for i in range(3000):
        row = [None] * 16384
        row[16383] = "x"                  # one cell in column XFD
        if i < 10:
            row[:5] = [f"P{i}", f"Posyandu {i}", "62.71.01.1001", -2.2, 113.9]
        ws.append(row)
    wb.save(path)


def make_csv(path: Path, rows: int) -> None:
    import numpy as np
    rng = np.random.default_rng(0)
    lat = -2.0 - rng.random(rows) * 0.5
    lon = 113.5 + rng.random(rows) * 0.5
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("id;nama;kode_desa;lat;lon;strata;aktif;jumlah_kader;kader_terlatih;"
                 "balita_sasaran;balita_ditimbang;balita_stunting;internet\n")
        for i in range(rows):
            fh.write(f"P{i:07d};Posyandu {i};62.71.01.1001;{lat[i]:.6f};{lon[i]:.6f};Madya;ya;"
                     f"5;3;40;35;6;tidak\n")


def make_geojson(path: Path, target_mb: int = 195) -> None:
    """Province 62's kabupaten, each ring densified until the file is ~target_mb."""
    import shapely

    from geo.regions import boundaries as regions
    kab = regions.boundaries("kabupaten", "62")
    vertices = int(shapely.get_num_coordinates(kab.geometry.values).sum())
    # ~24 bytes per "[113.123456,-2.123456]," pair once rounded (measured: 38 gave 127 MB)
    factor = max(target_mb * 2 ** 20 / 24 / max(vertices, 1), 1)
    seg = max(float(kab.geometry.length.sum()) / (vertices * factor), 1e-7)  # degrees
    geoms = shapely.segmentize(kab.geometry.values, seg)
    with open(path, "w") as fh:
        fh.write('{"type":"FeatureCollection","features":[')
        for i, (code, g) in enumerate(zip(kab["code"], geoms)):
            fh.write(("," if i else "") + json.dumps({
                "type": "Feature", "properties": {"kode": code},
                "geometry": shapely.geometry.mapping(shapely.set_precision(g, 1e-6))}))
        fh.write("]}")


CASES = {
    "xlsx_xfd": ("posyandu", "far-right.xlsx", make_xlsx),
    "csv_100k": ("posyandu", "registri-100k.csv", lambda p: make_csv(p, 100_000)),
    "csv_250k": ("posyandu", "registri-250k.csv", lambda p: make_csv(p, 250_000)),
    "csv_1m": ("posyandu", "registri-1m.csv", lambda p: make_csv(p, 1_000_000)),
    "geojson_200mb": ("batas", "batas-200mb.geojson", make_geojson),
}


def run_case(kind: str, path: str) -> dict:
    code = RUNNER.format(root=str(ROOT))
    res = subprocess.run([sys.executable, "-c", code, kind, path], capture_output=True,
                         text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if res.returncode != 0:
        return {"error": res.stderr.strip().splitlines()[-1:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--keep", help="write the inputs here instead of a temporary folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = run_case("base", "")
        print(f"{'case':<16}{'file':>12}{'seconds':>10}{'peak_mb':>10}  result")
        print(f"{'(baseline)':<16}{'':>12}{'':>10}{base['peak_mb']:>10.0f}  interpreter, "
              "libraries, code list")
        for name in args.cases.split(","):
            kind, fname, make = CASES[name]
            path = folder / fname
            if not path.exists():
                t = time.perf_counter()
                make(path)
                gen = time.perf_counter() - t
            else:
                gen = 0.0
            size = path.stat().st_size
            out = run_case(kind, str(path))
            size_txt = f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"
            result = (f"refused: {out['fatal'][:90]}" if out.get("fatal") else
                      f"{out.get('accepted')} accepted, {out.get('rejected')} rejected"
                      if "error" not in out else f"ERROR {out['error']}")
            print(f"{name:<16}{size_txt:>12}{out.get('seconds', float('nan')):>10.2f}"
                  f"{out.get('peak_mb', float('nan')):>10.0f}  {result}"
                  + (f"  (input generated in {gen:.0f} s)" if gen else ""), flush=True)


if __name__ == "__main__":
    main()
