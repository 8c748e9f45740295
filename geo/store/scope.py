"""Region scopes of editors: which rows of an import an editor may change.

A scope is a list of Kemendagri codes (``62.03``, ``62.71.01``); a code is inside when it
equals one of them or lies under it (``62.03.05.2001`` is under ``62.03``). Rows outside
are refused and named in the import report; the rows inside are kept.

A Posyandu row is inside only when everything the dashboard does with it stays in the
scope: its declared ``kode_desa``, the village it is counted in (``kode_agregasi`` of
geo.registry.join: the declared code when it is a known village, else where the point
lies) and the polygon its point is drawn in (``kode_lokasi``). A well-formed code under
the scope with a point in another region, known or not, is refused: it would be counted
or drawn where another editor can neither replace nor remove it.

Every save goes through here: Kelola Data and the CLI filter an import with
``apply_scope`` (the report names each refused row), and both stores refuse a save that
still holds a row outside with ``check_scope``. Who may write at all — the data of the
PostGIS store (geo.store.postgis) and the meeting records (geo.meeting.access) — is
``acting_user``: the account as stored now, its role, and a scope for an editor.
"""
from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.codes import normalize_code
from geo.config import DataDirError
from geo.registry.cells import per_value
from geo.store.base import EDITOR, AuthError, User

#: a code in its dotted form, ASCII digits only (normalize_code returns it unchanged)
_DOTTED = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?", re.ASCII)
#: column holding each row's region code, per kind
REGION_COLUMN = {"posyandu": "kode_desa", "indikator": "code", "batas_provinsi": "code",
                 "batas_kabupaten": "code", "batas_kecamatan": "code", "batas_desa": "code"}
#: the polygons near the points are enough to place them (degrees around their bounds) …
NEAR_DEG = 0.25
#: … unless a point lies farther than this from all of them (then the whole layer is used)
NEAR_M = 20_000.0


def in_scope(code, scope) -> bool:
    if code is None or code is pd.NA or (isinstance(code, float) and code != code):
        return False
    code = str(code)
    return any(code == s or code.startswith(s + ".") for s in scope)


def scope_text(scope) -> str:
    return ", ".join(scope) if scope else "semua wilayah"


def acting_user(store, user: User | None, roles, *, login: str, refused: str) -> User:
    """``user`` as ``store`` holds it now (role and scope may have changed since login),
    after checking that it may write: logged in (else AuthError ``login``), active, with
    one of ``roles`` (else AuthError "pengguna NAMA ``refused``") and, an editor, with a
    region scope. Which regions it may then write is its ``scope`` (``in_scope``)."""
    if user is None:
        raise AuthError(login)
    fresh = store.get_user(user.username)
    if fresh is None or not fresh.active:
        raise AuthError(f"pengguna {user.username} tidak ada atau tidak aktif")
    if fresh.role not in roles:
        raise AuthError(f"pengguna {user.username} {refused}")
    if fresh.role == EDITOR and not fresh.scope:
        raise AuthError(f"editor {user.username} belum diberi wilayah kewenangan")
    return fresh


def _normal(value) -> str | None:
    """A declared code, normalised (None when blank or not a code); a code already in
    dotted form is itself (what normalize_code gives it, without its slower checks)."""
    if not isinstance(value, str):
        return None
    if _DOTTED.fullmatch(value):
        return value
    return normalize_code(value) if value.strip() else None


def _declared(kind: str, data) -> pd.Series:
    """Each row's declared region code, normalised (None when blank or not a code)."""
    col = REGION_COLUMN.get(kind)
    if col is None or col not in data.columns:
        return pd.Series([None] * len(data), index=data.index, dtype=object)
    values = data[col]
    if isinstance(values.dtype, pd.StringDtype):    # text: once per distinct value
        groups, distinct = pd.factorize(values)
        codes = np.asarray(distinct, dtype=object).copy()
        dotted = pd.Series(distinct, dtype=values.dtype).str.fullmatch(_DOTTED.pattern)
        odd = np.flatnonzero(~dotted.to_numpy(dtype=bool, na_value=False))
        codes[odd] = [_normal(v) for v in codes[odd]]
        # group -1 (missing) takes the None appended last
        return pd.Series(np.append(codes, None)[groups], index=data.index, dtype=object)
    return pd.Series(per_value(values.to_numpy(dtype=object), _normal), index=data.index,
                     dtype=object)     # once per distinct code


def _points(data) -> np.ndarray:
    """The point of every row (None without one): the geometry, else lat/lon."""
    if isinstance(data, gpd.GeoDataFrame) and data.active_geometry_name in data.columns:
        geo = data.geometry
        if geo.crs is not None and not geo.crs.equals("EPSG:4326"):
            geo = geo.to_crs("EPSG:4326")
        return np.asarray(geo.values, dtype=object)
    if "lat" in data.columns and "lon" in data.columns:
        lat = pd.to_numeric(data["lat"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(data["lon"], errors="coerce").to_numpy(float)
        pts = shapely.points(lon, lat)
        pts[~(np.isfinite(lat) & np.isfinite(lon))] = None
        return pts
    return np.full(len(data), None, dtype=object)


def _village_known(codes: pd.Series) -> np.ndarray:
    """Whether each code is a village of the Kemendagri list (what the join counts by)."""
    from geo.regions.boundaries import village_codes_sorted
    return pd.Series(codes, dtype=object).isin(village_codes_sorted().tolist()).to_numpy()


def placement(data, declared: pd.Series | None = None) -> pd.DataFrame:
    """Where each Posyandu row ends up, as geo.registry.join places it: columns ``kode``
    (declared, normalised), ``dihitung`` (the village it is counted in, ``kode_agregasi``;
    None when it counts nowhere) and ``titik`` (the polygon its point is drawn in,
    ``kode_lokasi``; None without a point). Same index as ``data``.

    The join runs on the polygons around the points only (one small index, not the
    national one), and again on the whole layer when a point lies far from all of them."""
    from geo.registry.join import has_point, join
    if declared is None:
        declared = _declared("posyandu", data)
    pts = _points(data)
    point = has_point(pts) if len(pts) else np.zeros(0, bool)
    kode = declared.to_numpy(dtype=object)
    none = np.full(len(data), None, dtype=object)
    if not point.any():      # nothing to locate: counted by a known declared village only
        counted = np.where(_village_known(declared), kode, none)
        return _frame(data.index, kode, counted, none)
    frame = gpd.GeoDataFrame({"kode_desa": kode},
                             geometry=np.where(point, pts, none), index=data.index,
                             crs="EPSG:4326")
    joined = join(frame, _near_index(pts[point]))
    far = joined["di_luar"].to_numpy(bool) & (joined["jarak_m"].to_numpy(float) >= NEAR_M)
    if far.any():
        joined = join(frame)
    counted, drawn = (_codes(joined[c]) for c in ("kode_agregasi", "kode_lokasi"))
    return _frame(data.index, kode, counted, drawn)


def _codes(values: pd.Series) -> np.ndarray:
    """Codes as an object array, None where missing (never NaN)."""
    arr = values.astype(object).to_numpy(dtype=object)
    return np.where(pd.isna(arr), None, arr).astype(object)


def _frame(index, kode, counted, drawn) -> pd.DataFrame:
    # dtype=object: pandas would infer "str" and turn None into NaN
    return pd.DataFrame({"kode": kode, "dihitung": counted, "titik": drawn}, index=index,
                        dtype=object)


def _near_index(points: np.ndarray):
    """A join index of the analysis polygons around ``points`` (None: use the whole)."""
    from geo.regions.boundaries import analysis_layer
    from geo.registry.join_index import build_index
    layer = analysis_layer()
    minx, miny, maxx, maxy = shapely.total_bounds(points)
    box = shapely.box(minx - NEAR_DEG, miny - NEAR_DEG, maxx + NEAR_DEG, maxy + NEAR_DEG)
    near = layer.sindex.query(box, predicate="intersects")
    if not len(near):
        return None
    return build_index(layer.iloc[np.sort(near)].reset_index(drop=True))


def region_codes(kind: str, data) -> pd.Series:
    """Each row's region code (None when unknown): for a Posyandu the village it is counted
    in (a known declared village, else where its point lies; else its declared code), so
    the editor of that region is the one who may replace or remove it; for other kinds
    the code column."""
    codes = _declared(kind, data)
    if kind != "posyandu" or not len(data):
        return codes
    try:
        need = ~_village_known(codes)
        placed = _codes(placement(data.loc[need], codes.loc[need])["dihitung"]) \
            if need.any() else None
    except DataDirError:     # no boundaries: the declared codes
        return codes
    if placed is not None:
        values = codes.to_numpy(dtype=object).copy()
        values[need] = np.where(pd.isna(placed), values[need], placed)
        codes = pd.Series(values, index=data.index, dtype=object)
    return codes


def _names():
    try:
        from geo.regions.boundaries import region_names
        return region_names()
    except Exception:        # no code lists: codes only
        return pd.Series(dtype=object)


def _where(code: str, names) -> str:
    """"Desa X, Kab. Y (62.04.01.2001)": the name of a code and of its regency."""
    name = names.get(code)
    kab = names.get(".".join(code.split(".")[:2])) if code.count(".") >= 2 else None
    label = ", ".join(str(n) for n in (name, kab) if isinstance(n, str) and n)
    return f"{label} ({code})" if label else code


def outside(kind: str, data, scope) -> pd.DataFrame:
    """Rows of ``data`` outside ``scope`` (a non-empty list of codes), each with why:
    columns ``kolom``, ``nilai`` and ``pesan`` (Indonesian, naming the declared code and the
    region its point lies in). Index: the refused rows' positions in ``data``; empty when
    every row is inside."""
    declared = _declared(kind, data)
    text = scope_text(scope)
    if kind != "posyandu":
        bad = ~declared.map(lambda c: in_scope(c, scope)).to_numpy(bool)
        codes = declared.to_numpy(dtype=object)[bad]
        return pd.DataFrame({
            "kolom": REGION_COLUMN.get(kind, ""), "nilai": [c or "" for c in codes],
            "pesan": [f"wilayah {c or 'tidak diketahui'} di luar wilayah kewenangan Anda "
                      f"({text}); baris tidak diimpor" for c in codes]},
            index=np.flatnonzero(bad))
    try:
        place = placement(data, declared)
    except DataDirError:     # no boundaries: where a point lies cannot be checked
        return pd.DataFrame({
            "kolom": "lat, lon", "nilai": "",
            "pesan": "letak Posyandu tidak dapat diperiksa karena data batas wilayah belum "
                     f"tersedia (wilayah kewenangan Anda: {text}); baris tidak diimpor"},
            index=np.arange(len(data)))
    ok = {c: place[c].map(lambda v: v is None or in_scope(v, scope)).to_numpy(bool)
          for c in ("kode", "dihitung", "titik")}
    nowhere = place["kode"].isna().to_numpy() & place["dihitung"].isna().to_numpy()
    bad = ~(ok["kode"] & ok["dihitung"] & ok["titik"]) | nowhere
    names = _names() if bad.any() else None
    lat = pd.to_numeric(data["lat"], errors="coerce") if "lat" in data else None
    lon = pd.to_numeric(data["lon"], errors="coerce") if "lon" in data else None
    rows = []
    for i in np.flatnonzero(bad):
        kode, dihitung, titik = place.iloc[i]
        if nowhere[i]:
            rows.append(("kode_desa", "", "wilayah tidak diketahui (tanpa kode desa dan tanpa "
                         f"titik) di luar wilayah kewenangan Anda ({text})"))
            continue
        point_out = titik is not None and not ok["titik"][i]
        counted_out = dihitung is not None and not ok["dihitung"][i] and dihitung != kode
        if not ok["kode"][i]:
            msg = f"kode desa {kode} di luar wilayah kewenangan Anda ({text})"
            if point_out and titik != kode:
                msg += f"; titiknya berada di {_where(titik, names)}"
            rows.append(("kode_desa", kode, msg))
            continue
        head = (f"kode desa {kode} ada di wilayah kewenangan Anda ({text})" if kode
                else "tanpa kode desa")
        if point_out:
            msg = (f"{head}, tetapi titiknya berada di {_where(titik, names)}, di luar "
                   f"wilayah kewenangan Anda ({text})")
            if counted_out:
                msg += f"; Posyandu ini akan dihitung di {_where(dihitung, names)}"
        else:
            msg = (f"{head}, tetapi Posyandu ini akan dihitung di {_where(dihitung, names)}, "
                   f"di luar wilayah kewenangan Anda ({text})")
        value = (f"{round(float(lat.iloc[i]), 6)}; {round(float(lon.iloc[i]), 6)}"
                 if point_out and lat is not None and lon is not None else kode or "")
        rows.append(("lat, lon" if point_out else "kode_desa", value, msg))
    frame = pd.DataFrame(rows, columns=["kolom", "nilai", "pesan"], index=np.flatnonzero(bad))
    frame["pesan"] = frame["pesan"] + "; baris tidak diimpor"
    return frame


def _row_numbers(data) -> np.ndarray:
    return (pd.to_numeric(data["baris"], errors="coerce").to_numpy() if "baris" in data.columns
            else np.arange(1, len(data) + 1))


def apply_scope(kind: str, data, report, scope):
    """(data, report) keeping only rows inside ``scope``; each refused row is named in the
    report (``ditolak``). ``scope`` empty/None = every region (nothing refused)."""
    if not scope or data is None or not len(data):
        return data, report
    refused = outside(kind, data, scope)
    if not len(refused):
        return data, report
    from geo.importers.report import REJECTED, ImportReport, finding
    numbers = _row_numbers(data)
    out_rows = [int(numbers[i]) for i in refused.index]
    findings = [finding(n, r.kolom, r.nilai, r.pesan, REJECTED)
                for n, r in zip(out_rows, refused.itertuples())]
    if report is not None:
        gone = set(out_rows)
        accepted = [r for r in report.accepted_rows if r not in gone]
        report = ImportReport.build(report.kind, report.source, report.total, accepted,
                                    report.problems.to_dict("records") + findings,
                                    report.notes, report.fatal)
    keep = np.ones(len(data), bool)
    keep[refused.index.to_numpy()] = False
    return data.iloc[np.flatnonzero(keep)], report


def check_scope(kind: str, data, scope) -> None:
    """Refuse (AuthError) a save holding any row outside ``scope`` (None/empty: every
    region), naming the rows and why; nothing is saved."""
    if not scope or data is None or not len(data):
        return
    refused = outside(kind, data, scope)
    if not len(refused):
        return
    numbers = _row_numbers(data)
    named = [f"Baris {int(numbers[i])}: {p.removesuffix('; baris tidak diimpor')}."
             for i, p in zip(refused.index[:5], refused["pesan"][:5])]
    more = f" Dan {len(refused) - 5} baris lain." if len(refused) > 5 else ""
    raise AuthError(f"{len(refused)} baris berada di luar wilayah kewenangan Anda "
                    f"({scope_text(scope)}); tidak ada yang disimpan. "
                    + " ".join(named) + more)
