"""The columns of a Posyandu registry file: the schema fields (geo.registry.schema) plus the
village names a file may hold instead of codes, their labels in the column-mapping step,
the header names offices use for them (Indonesian and English), and which columns a file
must have to be imported (used by geo.importers.posyandu and the import page).
"""
from __future__ import annotations

from geo.registry import schema as registry

AUX = ("nama_desa", "nama_kecamatan", "nama_kabupaten")
FIELDS = (*registry.COLUMNS, "sampel", *AUX)
FIELD_LABELS = {
    "id": "ID Posyandu", "nama": "Nama Posyandu", "kode_desa": "Kode desa (Kemendagri)",
    "lat": "Lintang (lat)", "lon": "Bujur (lon)", "strata": "Strata", "aktif": "Aktif",
    "jumlah_kader": "Jumlah kader", "kader_terlatih": "Kader terlatih",
    "balita_sasaran": "Balita sasaran", "balita_ditimbang": "Balita ditimbang",
    "balita_stunting": "Balita stunting", "internet": "Akses internet",
    "layanan_kesehatan": "Layanan kesehatan", "layanan_pendidikan": "Layanan pendidikan",
    "layanan_pekerjaan_umum": "Layanan pekerjaan umum", "layanan_perumahan": "Layanan perumahan",
    "layanan_trantibumlinmas": "Layanan trantibumlinmas", "layanan_sosial": "Layanan sosial",
    "sampel": "Data contoh", "nama_desa": "Nama desa/kelurahan",
    "nama_kecamatan": "Nama kecamatan", "nama_kabupaten": "Nama kabupaten/kota",
}

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id posyandu", "id_posyandu", "kode posyandu", "kd posyandu", "no registrasi",
           "nomor registrasi", "no reg", "noreg", "register", "kode registrasi", "id sip"),
    "nama": ("nama posyandu", "posyandu", "nama_posyandu", "nm posyandu", "name"),
    "kode_desa": ("kode desa", "kd desa", "kode kelurahan", "kode desa kelurahan",
                  "kode desa kel", "kode kel desa", "kode wilayah", "kode kemendagri",
                  "kode wilayah desa", "kdepum", "kode_desa_kemendagri", "village code"),
    "lat": ("lintang", "latitude", "lat", "garis lintang", "koordinat lintang", "y",
            "koordinat y", "lat dd"),
    "lon": ("bujur", "longitude", "long", "lng", "lon", "garis bujur", "koordinat bujur", "x",
            "koordinat x", "lon dd", "long dd"),
    "strata": ("strata posyandu", "tingkat perkembangan", "strata tingkat perkembangan",
               "tingkat strata"),
    "aktif": ("status aktif", "status", "keaktifan", "posyandu aktif", "aktif tidak",
              "active"),
    "jumlah_kader": ("jumlah kader", "jml kader", "kader", "total kader", "jumlah kader aktif",
                     "jml kader aktif", "kader aktif"),
    "kader_terlatih": ("kader terlatih", "jml kader terlatih", "jumlah kader terlatih",
                       "kader yang terlatih", "kader dilatih"),
    "balita_sasaran": ("balita sasaran", "jumlah balita", "jml balita", "sasaran balita",
                       "balita s", "s", "jumlah balita sasaran", "jml balita sasaran"),
    "balita_ditimbang": ("balita ditimbang", "ditimbang", "balita d", "d",
                         "jml balita ditimbang", "jumlah balita ditimbang"),
    "balita_stunting": ("balita stunting", "stunting", "jml stunting", "jumlah stunting",
                        "jml balita stunting", "jumlah balita stunting"),
    "internet": ("akses internet", "sinyal internet", "internet tersedia", "ada internet"),
    "layanan_kesehatan": ("kesehatan", "bidang kesehatan", "layanan bidang kesehatan"),
    "layanan_pendidikan": ("pendidikan", "bidang pendidikan", "layanan bidang pendidikan"),
    "layanan_pekerjaan_umum": ("pekerjaan umum", "bidang pekerjaan umum", "layanan pu", "pu"),
    "layanan_perumahan": ("perumahan", "bidang perumahan", "perumahan rakyat",
                          "layanan perumahan rakyat"),
    "layanan_trantibumlinmas": ("trantibumlinmas", "bidang trantibumlinmas",
                                "trantibum linmas", "layanan trantibum"),
    "layanan_sosial": ("sosial", "bidang sosial", "layanan bidang sosial"),
    "sampel": ("contoh", "data contoh"),
    "nama_desa": ("desa", "kelurahan", "desa kelurahan", "kelurahan desa", "nama desa",
                  "nama kelurahan", "nama desa kelurahan", "desa kel", "kel desa", "wadmkd"),
    "nama_kecamatan": ("kecamatan", "nama kecamatan", "kec", "wadmkc"),
    "nama_kabupaten": ("kabupaten", "kabupaten kota", "kab kota", "nama kabupaten", "kota kab",
                       "kabupaten kota nama", "wadmkk"),
}
# Columns a file must have: the name, and a way to place each row (coordinates, a village
# code, or village names matched to codes). id is generated when absent.
REQUIRED_COLUMNS = ("nama",)
PLACEMENT_COLUMNS = (("lat", "lon"), ("kode_desa",), ("nama_desa",))
HEADER_FIELDS = ("id", "nama", "kode_desa", "lat", "lon")   # scoring of header candidates
