"""Posyandu registry importer on messy files written here (CSV Windows-1252 with ';',
decimal commas and DMS; XLSX with a title row, merged header cells and a total row)."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from geo.importers.coords import CoordinateError, parse_coordinate
from geo.importers.posyandu import apply_suggestions, import_posyandu
from tests.helpers import MESSY_CSV, D, R, W, problems


@pytest.fixture(autouse=True)
def _workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))


@pytest.fixture
def messy_csv(tmp_path):
    path = tmp_path / "posyandu_pahandut.csv"
    path.write_bytes(MESSY_CSV.replace("\n", "\r\n").encode("cp1252"))
    return path


def test_cp1252_semicolon_csv_with_decimal_commas_and_dms(messy_csv):
    res = import_posyandu(messy_csv)
    rep = res.report
    assert rep.fatal is None
    assert "Windows-1252" in rep.notes[0] and "titik koma" in rep.notes[0]
    assert rep.total == 10                     # data rows; the two empty lines are not rows
    # Rows 10 (Java Sea) and 13 (Manila) have known village codes: kept without a point.
    assert rep.accepted_rows == [4, 5, 6, 8, 10, 12, 13]
    assert rep.rejected_rows == [9, 11, 14]
    assert rep.repaired_rows == [4, 6]
    assert rep.counts == {"diterima": 7, "diperbaiki": 2, "ditolak": 3, "peringatan": 5}
    assert problems(res) == [
        (4, "lat", "2°12'30\" LS", "koordinat derajat-menit-detik/LU-LS-BT dikonversi ke "
         "derajat desimal: -2.208333", D),
        (4, "lon", "113°54'45\" BT", "koordinat derajat-menit-detik/LU-LS-BT dikonversi ke "
         "derajat desimal: 113.9125", D),
        (4, "kode_desa", "6271011001", "kode desa ditulis tanpa titik; dinormalkan menjadi "
         "62.71.01.1001", D),
        (6, "lat, lon", "113,9200; -2,2150", "lintang dan bujur tertukar (nilai bujur berada di "
         "kolom lintang); ditukar menjadi lat -2.215, lon 113.92", D),
        (8, "nama", "<script>alert(1)</script>", "nama berisi tanda < atau > (seperti kode "
         "HTML); disimpan apa adanya sebagai teks, tidak dijalankan", W),
        (8, "jumlah_kader", "x", "bukan angka; nilai dikosongkan", W),
        (9, "id", "P001", "id 'P001' sudah dipakai di baris 4 (id ganda)", R),
        (10, "lat, lon", "-4.5; 112.5", "titik berada di luar daratan Indonesia (di laut atau "
         "di negara tetangga), ±117,5 km dari daratan Indonesia terdekat; koordinat dikosongkan "
         "(titik tidak dipakai), Posyandu tetap dihitung di desa 62.71.01.1005", W),
        (11, "", "", "baris sama persis dengan baris 8 (duplikat); tidak diimpor", R),
        (12, "kode_desa", "62.71.01.1099", "kode desa 62.71.01.1099 tidak ada di daftar kode "
         "Kemendagri; desa ditentukan dari koordinat; saran dari nama desa 'Pahandut Seberang': "
         "62.71.01.1005 Pahandut Seberang (kecocokan 100%) — belum diterapkan, periksa lalu "
         "terapkan saran bila benar", W),
        (13, "lat, lon", "14.6; 121.0", "koordinat berada di luar wilayah Indonesia; koordinat "
         "dikosongkan (titik tidak dipakai), Posyandu tetap dihitung di desa 62.71.01.1001", W),
        (14, "", "Jumlah", "baris jumlah/total, bukan data Posyandu; tidak diimpor", R),
    ]
    data = res.data.set_index("id")
    assert list(data.index) == ["P001", "P002", "P003", "P004", "P006", "P007", "P008"]
    assert data.loc["P006", "status_titik"] == "koordinat_ditolak"
    assert pd.isna(data.loc["P006", "lat"]) and data.loc["P006", "geometry"] is None
    assert data.loc["P001", ["lat", "lon"]].tolist() == pytest.approx([-2.2083333, 113.9125])
    assert data.loc["P001", "kode_desa"] == "62.71.01.1001"
    assert data.loc["P002", "nama"] == "Posyandu Mawar Café"          # cp1252 é decoded
    assert data.loc["P002", ["lat", "lon"]].tolist() == [-2.221, 113.91]
    assert data.loc["P003", ["lat", "lon"]].tolist() == [-2.215, 113.92]
    assert data.loc["P003", "strata"] == "Pratama" and data.loc["P003", "aktif"] == False  # noqa: E712
    assert data.loc["P004", "nama"] == "<script>alert(1)</script>"   # stored verbatim, as text
    assert pd.isna(data.loc["P004", "jumlah_kader"])
    assert data.loc["P007", "kode_desa"] == "62.71.01.1099"           # never replaced silently
    assert res.suggestions.to_dict("records") == [
        {"baris": 12, "kode_desa": "62.71.01.1099", "saran_kode": "62.71.01.1005",
         "saran_nama": "Pahandut Seberang", "skor": 100.0}]
    assert res.data.crs.to_epsg() == 4326
    assert not res.needs_mapping


def test_suggestion_applied_only_on_request(messy_csv):
    res = import_posyandu(messy_csv)
    applied = apply_suggestions(res, rows=[12])
    assert applied.data.set_index("id").loc["P007", "kode_desa"] == "62.71.01.1005"
    assert res.data.set_index("id").loc["P007", "kode_desa"] == "62.71.01.1099"
    assert (12, "kode_desa", "62.71.01.1099", "kode desa diganti dengan saran 62.71.01.1005 "
            "Pahandut Seberang atas persetujuan pengguna", D) in problems(applied)
    assert applied.report.repaired_rows == [4, 6, 12]
    assert applied.suggestions.empty


def test_report_csv_round_trip(messy_csv, tmp_path):
    res = import_posyandu(messy_csv)
    out = tmp_path / "laporan.csv"
    res.report.to_csv(out)
    back = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(back.columns) == ["baris", "kolom", "nilai", "pesan", "tingkat"]
    assert len(back) == 12
    assert back.loc[0, "nilai"] == "2°12'30\" LS"


def _xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = "REKAPITULASI POSYANDU KOTA PALANGKA RAYA 2024"
    ws.merge_cells("A1:H1")
    ws["A2"] = "Sumber: Dinas Kesehatan"
    for col, label in zip("ABCD", ["No", "Kode Posyandu", "Nama Posyandu", "Kode Desa"]):
        ws[f"{col}3"] = label
        ws.merge_cells(f"{col}3:{col}4")
    ws["E3"] = "Koordinat"
    ws.merge_cells("E3:F3")
    ws["E4"], ws["F4"] = "Lintang", "Bujur"
    ws["G3"] = "Jumlah"
    ws.merge_cells("G3:H3")
    ws["G4"], ws["H4"] = "Kader", "Kader Terlatih"
    ws.append([1, "PSY-01", "Posyandu Teratai", 6271011001, -2.2083, 113.9125, 5, 3])
    ws.append([2, "PSY-02", "Posyandu Dahlia", 6271011002, 113.91, -2.215, "=2+3", 2])
    ws.append([3, "PSY-03", None, 6271011003, -2.2, 113.93, 4, 4])
    ws.append([])
    ws.append(["Jumlah", None, None, None, None, None, "=SUM(G5:G7)", "=SUM(H5:H7)"])
    wb.save(path)


def test_xlsx_title_row_merged_header_and_total_row(tmp_path):
    path = tmp_path / "rekap.xlsx"
    _xlsx(path)
    res = import_posyandu(path)
    rep = res.report
    assert "Baris judul kolom: 3, 4." in rep.notes
    assert ("Pemetaan kolom: 'Kode Posyandu' → id; 'Nama Posyandu' → nama; 'Kode Desa' → "
            "kode_desa; 'Koordinat / Lintang' → lat; 'Koordinat / Bujur' → lon; 'Jumlah / Kader' "
            "→ jumlah_kader; 'Jumlah / Kader Terlatih' → kader_terlatih.") in rep.notes
    assert problems(res) == [
        (5, "kode_desa", "6271011001", "kode desa tersimpan sebagai angka; dinormalkan menjadi "
         "62.71.01.1001", D),
        (6, "lat, lon", "113.91; -2.215", "lintang dan bujur tertukar (nilai bujur berada di "
         "kolom lintang); ditukar menjadi lat -2.215, lon 113.91", D),
        (6, "kode_desa", "6271011002", "kode desa tersimpan sebagai angka; dinormalkan menjadi "
         "62.71.01.1002", D),
        (7, "kode_desa", "6271011003", "kode desa tersimpan sebagai angka; dinormalkan menjadi "
         "62.71.01.1003", D),
        (7, "nama", "", "nama Posyandu kosong", R),
        (9, "", "Jumlah", "baris jumlah/total, bukan data Posyandu; tidak diimpor", R),
    ]
    assert rep.counts == {"diterima": 2, "diperbaiki": 2, "ditolak": 2, "peringatan": 0}
    data = res.data.set_index("id")
    assert data.loc["PSY-01", "kode_desa"] == "62.71.01.1001"
    # The formula "=2+3" has no cached value: it is not evaluated, the count stays empty.
    assert pd.isna(data.loc["PSY-02", "jumlah_kader"])
    assert data.loc["PSY-02", "kader_terlatih"] == 2


def test_utf8_bom_comma_csv_with_english_headers(tmp_path):
    path = tmp_path / "sip.csv"
    path.write_text("\ufeffID,Name,Village Code,Latitude,Longitude,Jml Kader\n"
                    "A1,Posyandu Ceria,62.71.01.1001,-2.21,113.91,5\n"
                    ",,,,,\n"
                    "A2,Posyandu Sehat,62.71.01.1002,\"-2,22\",\"113,92\",4\n", encoding="utf-8")
    res = import_posyandu(path)
    assert "UTF-8 dengan BOM" in res.report.notes[0] and "koma (,)" in res.report.notes[0]
    assert res.report.accepted_rows == [2, 4]
    assert res.report.problems.empty
    assert res.data["lat"].tolist() == [-2.21, -2.22]


def test_unknown_header_needs_mapping_then_user_mapping(tmp_path):
    path = tmp_path / "aneh.csv"
    path.write_text("Kode Pos;Sebutan;Titik Y;Titik X\n"
                    "K1;Posyandu Satu;-2,21;113,91\n", encoding="utf-8")
    res = import_posyandu(path)
    assert res.needs_mapping
    assert res.missing_required == ["nama", "kode_desa", "lat", "lon"]
    assert res.report.fatal.startswith("kolom wajib tidak ditemukan: Nama Posyandu (nama), "
                                       "Kode desa (Kemendagri) (kode_desa)")
    assert res.unmapped == ["Kode Pos", "Sebutan", "Titik Y", "Titik X"]
    res = import_posyandu(path, mapping={"Kode Pos": "id", "Sebutan": "nama", "Titik Y": "lat",
                                         "Titik X": "lon"})
    assert not res.needs_mapping
    assert res.report.accepted_rows == [2] and res.report.problems.empty
    assert ("Kolom kode desa tidak ada; desa setiap Posyandu ditentukan dari koordinatnya."
            in res.report.notes)
    assert res.data.iloc[0][["id", "nama", "lat", "lon"]].tolist() == \
        ["K1", "Posyandu Satu", -2.21, 113.91]


def test_near_coast_point_is_kept_with_warning(tmp_path):
    path = tmp_path / "pantai.csv"
    # Kumai (Kotawaringin Barat), on the water a few hundred metres off the mapped coast.
    path.write_text("id;nama;kode_desa;lat;lon\nK1;Posyandu Pantai;62.01.02.2001;-2,9;111,7\n",
                    encoding="utf-8")
    res = import_posyandu(path)      # default tolerance 5 km
    assert res.report.accepted_rows == [2]
    assert res.report.messages(2) == [
        ("lat, lon", "titik berada ±908 m di luar garis pantai peta; periksa koordinat (batas "
         "peta disederhanakan, titik tetap diimpor)", W)]


def test_refused_file_types(tmp_path):
    old = tmp_path / "lama.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    res = import_posyandu(old)
    assert res.report.fatal.startswith("format .xls (Excel 97-2003) tidak didukung")
    fake = tmp_path / "palsu.xlsx"
    fake.write_text("id,nama\n1,a\n")
    assert "bukan berkas .xlsx yang sah" in import_posyandu(fake).report.fatal
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ")
    assert "tidak didukung" in import_posyandu(exe).report.fatal
    assert not import_posyandu(exe).report.ok


@pytest.mark.parametrize("text,value,axis", [
    ("2°12'30\" LS", -2.2083333, "lat"),
    ("113°54'45\" BT", 113.9125, "lon"),
    ("LS 2° 12' 30''", -2.2083333, "lat"),
    ("2°12,5' S", -2.2083333, "lat"),
    ("0°30′15″ LU", 0.5041667, "lat"),
    ("-2 12 30", -2.2083333, None),
    ("2,5 LS", -2.5, "lat"),
    ("-2,2083", -2.2083, None),
    (113.9, 113.9, None),
])
def test_parse_coordinate(text, value, axis):
    c = parse_coordinate(text)
    assert c.value == pytest.approx(value, abs=1e-6)
    assert c.axis == axis


@pytest.mark.parametrize("text", ["dua derajat", "2°75' LS", "1;2;3;4"])
def test_parse_coordinate_errors(text):
    with pytest.raises(CoordinateError):
        parse_coordinate(text)
