"""Registries as offices keep them (issue 14): no coordinates, no ids, codes without dots,
village names instead of codes — kept row by row, placed by their village code; and the
transformation indicators (six SPM fields, strata) aggregated from sums. Real Kalimantan
Tengah codes (Palangka Raya 62.71)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.importers.posyandu import apply_suggestions, import_posyandu
from geo.indicators import registry as indicators
from geo.indicators import transformation as transformation_indicators
from geo.regions import boundaries as regions
from geo.registry import join, join_index
from tests.helpers import D, R, W, problems

HEADER = ("Nama Posyandu;Kode Desa;Desa/Kelurahan;Jumlah Kader;Kader Terlatih;Strata;"
          "Bidang Kesehatan;Bidang Pendidikan;Bidang Pekerjaan Umum;Bidang Perumahan;"
          "Bidang Trantibumlinmas;Bidang Sosial")
# SIP-style: ';', Indonesian headers, codes without dots, no coordinates, no ids.
SIP = "\n".join([
    HEADER,
    "Posyandu Mawar 1;6271011001;Pahandut;5;3;Pratama;ya;tidak;tidak;tidak;tidak;ya",
    "Posyandu Melati;6271011002;Panarung;6;6;Madya;ya;ya;tidak;tidak;ya;ya",
    "Posyandu Anggrek;6271011003;Langkai;7;2;Purnama;ya;ya;ya;ya;ya;ya",
    "Posyandu Kenanga;6271021001;Marang;4;4;Mandiri;ya;ya;ya;ya;ya;ya",
    "Posyandu Mawar 1;6271011001;Pahandut;3;1;Madya;ya;;tidak;tidak;tidak;tidak",
]) + "\n"


@pytest.fixture(autouse=True)
def _workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))


@pytest.fixture(scope="module")
def palangka_index():
    return join_index.build_index(regions.analysis_layer(["62"]))


def _write(tmp_path, text, name="sip.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sip_file_without_coordinates_and_ids_keeps_every_row(tmp_path):
    res = import_posyandu(_write(tmp_path, SIP))
    assert res.report.fatal is None
    assert res.report.accepted_rows == [2, 3, 4, 5, 6] and res.report.rejected_rows == []
    data = res.data
    assert (data["status_titik"] == "tanpa_koordinat").all()
    assert data.geometry.isna().all() and data["lat"].isna().all()
    # stable generated ids: code + normalised name, a suffix for the repeat; warned once
    assert data["id"].tolist() == ["6271011001-mawar-1", "6271011002-melati",
                                   "6271011003-anggrek", "6271021001-kenanga",
                                   "6271011001-mawar-1-2"]
    id_warnings = [p for p in problems(res) if p[1] == "id"]
    assert id_warnings == [(1, "id", "", "id Posyandu kosong pada 5 baris; id dibuat dari kode "
                            "desa dan nama (sama untuk baris yang sama di setiap impor)", W)]
    again = import_posyandu(_write(tmp_path, SIP, "lagi.csv"))
    assert again.data["id"].tolist() == data["id"].tolist()
    assert any("5 baris tanpa titik koordinat" in n for n in res.report.notes)


def test_rows_without_point_count_in_their_village_and_above(tmp_path, palangka_index):
    data = import_posyandu(_write(tmp_path, SIP)).data
    joined = join.join(data, palangka_index)
    assert (joined["status_lokasi"] == "tanpa_titik").all()
    assert joined["kode_lokasi"].isna().all()               # no location invented
    assert not joined["di_luar"].any()
    assert joined["kode_agregasi"].astype(str).tolist() == data["kode_desa"].tolist()
    assert joined["kode_kecamatan"].astype(str).tolist() == \
        ["62.71.01", "62.71.01", "62.71.01", "62.71.02", "62.71.01"]
    long = indicators.aggregate(joined)
    count = long.loc[long["indicator"] == "posyandu"].set_index("code")["value"]
    assert count["62.71.01"] == 4 and count["62.71.02"] == 1
    assert count["62.71"] == 5 and count["62"] == 5
    assert count["62.71.01.1001"] == 2


def test_mixed_registry_keeps_the_join_of_points(tmp_path, palangka_index):
    villages = regions.boundaries("desa", ["62"]).set_index("code")
    p = villages.loc["62.71.01.1004"].geometry.representative_point()
    text = SIP.replace(HEADER, HEADER + ";Lintang;Bujur").strip().split("\n")
    text[1] += f";{p.y};{p.x}"          # one row with a real point, the others without
    text[2:] = [t + ";;" for t in text[2:]]
    data = import_posyandu(_write(tmp_path, "\n".join(text) + "\n")).data
    joined = join.join(data, palangka_index).set_index("id")
    row = joined.loc["6271011001-mawar-1"]
    assert row["kode_lokasi"] == "62.71.01.1004" and row["status_lokasi"] == "kode_berbeda"
    assert row["kode_agregasi"] == "62.71.01.1001"
    assert joined.loc["6271011002-melati", "status_lokasi"] == "tanpa_titik"


def test_java_sea_point_kept_and_unplaceable_row_rejected(tmp_path):
    text = ("id;nama;kode_desa;lat;lon\n"
            "A1;Posyandu Laut;6271011001;-5,5;110,5\n"         # Java Sea, code known
            "A2;Posyandu Hilang;6271019999;-5,5;110,5\n"       # Java Sea, unknown code
            "A3;Posyandu Kosong;;;\n"                           # nothing to place it
            "A4;Posyandu Huruf;6271011002;abc;113,9\n"          # unparseable, code known
            "A1;Posyandu Laut;6271011001;-5,5;110,5\n")        # exact duplicate
    res = import_posyandu(_write(tmp_path, text))
    assert res.report.accepted_rows == [2, 5]
    assert res.report.rejected_rows == [3, 4, 6]
    data = res.data.set_index("id")
    assert data.loc["A1", "status_titik"] == "koordinat_ditolak"
    assert pd.isna(data.loc["A1", "lat"]) and data.loc["A1", "geometry"] is None
    assert data.loc["A4", "status_titik"] == "koordinat_ditolak"
    msgs = {(p[0], p[1]): (p[2], p[3], p[4]) for p in problems(res)}
    value, msg, level = msgs[(2, "lat, lon")]
    assert value == "-5.5; 110.5" and level == W
    assert "di luar daratan Indonesia" in msg and "koordinat dikosongkan" in msg
    value, msg, level = msgs[(3, "lat, lon")]
    assert level == R and "tidak dapat ditempatkan" in msg and "62.71.01.9999" in msg
    value, msg, level = msgs[(4, "kode_desa, lat, lon")]
    assert level == R and msg == ("Posyandu tidak dapat ditempatkan: tanpa koordinat dan kode "
                                  "desa kosong")
    assert msgs[(5, "lat")][2] == W and msgs[(5, "lat")][0] == "abc"
    assert "duplikat" in msgs[(6, "")][1]


def test_village_names_exact_applied_near_offered(tmp_path):
    text = ("nama;desa;kecamatan;jumlah kader\n"
            "Posyandu Satu;Pahandut;Pahandut;5\n"            # exact within 62.71
            "Posyandu Dua;Panarung;;4\n"                      # exact
            "Posyandu Tiga;Langkay;;3\n")                     # near: Langkai
    res = import_posyandu(_write(tmp_path, text), parent="62.71")
    assert res.report.accepted_rows == [2, 3] and res.report.rejected_rows == [4]
    assert res.data["kode_desa"].tolist() == ["62.71.01.1001", "62.71.01.1002"]
    assert (2, "nama_desa", "Pahandut", "kode desa diisi dari nama desa: 62.71.01.1001 Pahandut "
            "(kecocokan 100%)", D) in problems(res)
    sug = res.suggestions.to_dict("records")
    assert [(s["baris"], s["saran_kode"]) for s in sug] == [(4, "62.71.01.1003")]
    assert "saran dari nama desa 'Langkay'" in res.report.messages(4)[0][1]
    confirmed = apply_suggestions(res, rows=[4])
    assert confirmed.report.accepted_rows == [2, 3, 4]
    assert confirmed.data["kode_desa"].tolist()[-1] == "62.71.01.1003"
    assert confirmed.suggestions.empty


def test_spm_and_strata_aggregate_from_sums_at_every_level(tmp_path):
    data = import_posyandu(_write(tmp_path, SIP)).data
    joined = data.assign(kode_agregasi=data["kode_desa"])
    long = indicators.aggregate(joined)
    get = lambda ind, code: long.loc[(long["indicator"] == ind)  # noqa: E731
                                     & (long["code"] == code)].iloc[0]
    # pendidikan at 62.71.01: rows 2, 3, 4 and 6 (6 blank) → 2 of 3 known
    edu = get("layanan_pendidikan_pct", "62.71.01")
    assert (edu["numerator"], edu["denominator"]) == (2, 3)
    assert edu["value"] == pytest.approx(200 / 3)
    edu62 = get("layanan_pendidikan_pct", "62")
    assert (edu62["numerator"], edu62["denominator"]) == (3, 4)
    alls = get("layanan_semua_pct", "62.71")
    assert (alls["numerator"], alls["denominator"]) == (2, 4)  # the blank row is unknown
    for level_code in ("62", "62.71", "62.71.01", "62.71.01.1001"):
        parts = [get(i, level_code)["value"] for i in transformation_indicators.STRATA_INDICATORS
                 if len(long.loc[(long["indicator"] == i) & (long["code"] == level_code)])]
        assert sum(parts) == get("posyandu", level_code)["value"]
    top = get("strata_purnama_mandiri_pct", "62.71")
    assert (top["numerator"], top["denominator"]) == (2, 5)
    top_kec = get("strata_purnama_mandiri_pct", "62.71.01")
    assert (top_kec["numerator"], top_kec["denominator"]) == (1, 4)
    assert get("strata_madya", "62.71.01.1001")["value"] == 1


def test_sample_registry_has_services_and_strata():
    from geo.sample.generate import sample_posyandu
    data = sample_posyandu("62", 0)
    assert set(data["strata"].dropna()) == set(transformation_indicators.STRATA_LEVELS)
    shares = {c: float(data[c].astype(bool).mean()) for c in
              [f"layanan_{f}" for f in transformation_indicators.SPM_FIELDS]}
    assert shares["layanan_kesehatan"] > 0.9
    assert 0.05 < min(shares.values()) < max(shares.values()) <= 1.0
    assert np.all(data["sampel"])
