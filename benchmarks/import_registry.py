"""Benchmark of the import pipeline on large and hostile inputs (issues 9 and 25): prints
wall time, peak memory and rows per second per case, next to a floor measured in the same
run (not a test; numbers in README, "Import: cost and memory ceiling").

    python -m benchmarks.import_registry            # national, floor, xlsx_100k, save
    python -m benchmarks.import_registry --cases xlsx_xfd,csv_100k,csv_1m,geojson_200mb
                                      [--keep DIR]

Issue 25 cases: ``national`` imports the national sample (``python -m geo demo --scope
nasional``: 303,416 rows) exactly as ``python -m geo import posyandu`` does; ``floor`` is
what any import of that file must at least do — pandas reads the same CSV as text,
parses lat/lon, places every point in its village with a geopandas ``sjoin`` (village
polygons already loaded, their load printed apart) and writes a CSV; ``xlsx_100k`` imports
the first 100,000 rows of it as an XLSX; ``save`` stores the imported national registry
in the file store (GeoParquet) and in a PostGIS store (a throwaway cluster, as the
database tests start it; the version's own partition filled by a binary COPY, in one
transaction) and prints both, then the PostGIS save of one kabupaten's rows by that
kabupaten's editor (the other regions' rows are kept from the national version).

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

FLOOR = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import geopandas as gpd
import pandas as pd
from geo.regions import boundaries as regions
t = time.perf_counter()
villages = regions.boundaries("desa")[["code", "geometry"]]
load = time.perf_counter() - t
t = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
lat = pd.to_numeric(df["lat"], errors="coerce")
lon = pd.to_numeric(df["lon"], errors="coerce")
pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
joined = gpd.sjoin(pts, villages, how="left", predicate="within")
joined = joined[~joined.index.duplicated()]
pd.DataFrame(joined.drop(columns="geometry")).to_csv(sys.argv[2], index=False)
out = {{"seconds": round(time.perf_counter() - t, 2), "rows": len(df),
        "load_villages_s": round(load, 2), "placed": int(joined["code"].notna().sum()),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)}}
print(json.dumps(out))
"""

SAVE = r"""
import json, os, resource, sys, tempfile, time
sys.path.insert(0, {root!r})
os.environ["PETA_WORKSPACE_DIR"] = tempfile.mkdtemp(prefix="bench-ws-")
from geo.importers.posyandu import import_posyandu
from geo import workspace
res = import_posyandu(sys.argv[1])
out = {{"rows": len(res.data)}}
t = time.perf_counter()
workspace.save("posyandu", res.data, name="nasional", report=res.report)
out["files_s"] = round(time.perf_counter() - t, 2)
from tests.db.pgcluster import Cluster, available
why = available()
if why:
    out["postgis"] = why
else:
    cluster = Cluster().start()
    try:
        from geo.store.postgis import PostgisStore
        store = PostgisStore(cluster.create_db("peta_bench"))
        store.add_user("bench", "bench-rahasia-1", "admin", [])
        user = store.get_user("bench")
        t = time.perf_counter()
        store.save("posyandu", res.data, name="nasional", report=res.report, user=user)
        out["postgis_s"] = round(time.perf_counter() - t, 2)
        out["postgis_rows"] = store.status()["counts"].get("posyandu")
        kab = res.data["kode_desa"].str.slice(0, 5)
        first = kab.iloc[0]
        store.add_user("kab", "bench-rahasia-1", "editor", [first])
        mine = res.data[kab == first]
        t = time.perf_counter()
        store.save("posyandu", mine, name=first, user=store.get_user("kab"))
        out["scoped_s"] = round(time.perf_counter() - t, 2)
        out["scoped"] = [first, len(mine), store.status()["counts"].get("posyandu")]
        store.engine.dispose()
    finally:
        cluster.stop()
out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
print(json.dumps(out))
"""

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


def make_national(path: Path) -> None:
    """The national sample as ``python -m geo demo --scope nasional --out FILE`` writes it."""
    subprocess.run([sys.executable, "-m", "geo", "demo", "--scope", "nasional", "--out",
                    str(path)], check=True, capture_output=True, cwd=ROOT)


def make_xlsx_100k(path: Path) -> None:
    """The first 100,000 rows of the national sample as Excel writes a workbook (xlsxwriter:
    shared strings, numbers as numbers, the sheet's dimension at its top)."""
    import pandas as pd
    import xlsxwriter
    national = path.parent / "nasional.csv"
    if not national.exists():
        make_national(national)
    df = pd.read_csv(national, dtype=str, keep_default_na=False, nrows=100_000)
    numeric = {"lat", "lon", "jumlah_kader", "kader_terlatih", "balita_sasaran",
               "balita_ditimbang", "balita_stunting"}
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("registri")
    ws.write_row(0, 0, list(df.columns))
    cols = [(c in numeric) for c in df.columns]
    for i, rec in enumerate(df.itertuples(index=False), start=1):
        ws.write_row(i, 0, [float(v) if num and v else (v or None) for v, num in zip(rec, cols)])
    wb.close()


CASES = {
    "xlsx_xfd": ("posyandu", "far-right.xlsx", make_xlsx),
    "csv_100k": ("posyandu", "registri-100k.csv", lambda p: make_csv(p, 100_000)),
    "csv_250k": ("posyandu", "registri-250k.csv", lambda p: make_csv(p, 250_000)),
    "csv_1m": ("posyandu", "registri-1m.csv", lambda p: make_csv(p, 1_000_000)),
    "geojson_200mb": ("batas", "batas-200mb.geojson", make_geojson),
    "national": ("posyandu", "nasional.csv", make_national),
    "floor": ("floor", "nasional.csv", make_national),
    "xlsx_100k": ("posyandu", "nasional-100k.xlsx", make_xlsx_100k),
    "save": ("save", "nasional.csv", make_national),
}
DEFAULT_CASES = "national,floor,xlsx_100k,save"


def run_case(kind: str, path: str) -> dict:
    if kind == "floor":
        code, args = FLOOR.format(root=str(ROOT)), [path, path + ".floor.csv"]
    elif kind == "save":
        code, args = SAVE.format(root=str(ROOT)), [path]
    else:
        code, args = RUNNER.format(root=str(ROOT)), [kind, path]
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                         text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if res.returncode != 0:
        return {"error": res.stderr.strip().splitlines()[-1:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=DEFAULT_CASES, help=f"any of {', '.join(CASES)}")
    ap.add_argument("--keep", help="write the inputs here instead of a temporary folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = run_case("base", "")
        print(f"{'case':<16}{'file':>12}{'seconds':>10}{'peak_mb':>10}{'rows/s':>10}  result")
        print(f"{'(baseline)':<16}{'':>12}{'':>10}{base['peak_mb']:>10.0f}{'':>10}  interpreter, "
              "libraries, code list")
        times: dict[str, float] = {}
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
            rows = out.get("rows") or (out.get("accepted", 0) or 0) + (out.get("rejected", 0) or 0)
            secs = out.get("seconds", float("nan"))
            times[name] = secs
            if "error" in out:
                result = f"ERROR {out['error']}"
            elif kind == "floor":
                result = (f"pandas text read + lat/lon + sjoin to {out['placed']} villages + CSV "
                          f"(village polygons loaded apart in {out['load_villages_s']:.1f} s)")
            elif kind == "save":
                secs = out.get("files_s", float("nan"))
                pg = out.get("postgis_s")
                result = (f"file store (GeoParquet) {out['files_s']:.2f} s; PostGIS (partition, "
                          + (f"binary COPY, one transaction) {pg:.2f} s, {out.get('postgis_rows')}"
                             f" rows = {pg / max(out['files_s'], 1e-9):.2f}× the file store "
                             "(goal ≤ 1.5×)" if pg is not None
                             else f"not run: {out.get('postgis')})"))
                if out.get("scoped_s") is not None:
                    code, own, total = out["scoped"]
                    result += (f"; then the editor of {code} saves its {own:,} rows in "
                               f"{out['scoped_s']:.2f} s ({total:,} in the new version)")
            elif out.get("fatal"):
                result = f"refused: {out['fatal'][:90]}"
            else:
                result = f"{out.get('accepted')} accepted, {out.get('rejected')} rejected"
            rate = f"{rows / secs:,.0f}" if rows and secs == secs and secs > 0 else ""
            print(f"{name:<16}{size_txt:>12}{secs:>10.2f}"
                  f"{out.get('peak_mb', float('nan')):>10.0f}{rate:>10}  {result}"
                  + (f"  (input generated in {gen:.0f} s)" if gen else ""), flush=True)
        if "national" in times and "floor" in times and times["floor"] > 0:
            print(f"national / floor: {times['national'] / times['floor']:.2f}× (goal ≤ 2×)")


if __name__ == "__main__":
    main()
