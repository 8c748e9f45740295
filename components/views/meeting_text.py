"""Text of the meeting views (Rapat page and the map pages' meeting hooks), Indonesian
first; shown through components.i18n.pick in the visitor's language."""
from __future__ import annotations

from components.i18n import pick

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Rapat Pokjanal: agenda dan tindak lanjut", "Pokjanal meeting: agenda and follow-ups"),
    "intro": ("Agenda = urutan tampilan peta yang disajikan dalam rapat (mode proyektor, "
              "tombol → ← atau PageDown PageUp). Tindak lanjut = keputusan rapat dengan "
              "penanggung jawab dan tenggat, beserta nilai indikator saat diputuskan dan kini.",
              "Agenda = the views presented at the meeting, in order (projector mode, keys "
              "→ ← or PageDown PageUp). Follow-ups = the meeting's decisions with an office "
              "responsible and a due date, with the indicator's value when decided and now."),
    "hooks": ("Rapat: agenda dan tindak lanjut", "Meeting: agenda and follow-ups"),
    "agenda": ("Agenda", "Agenda"),
    "new_agenda": ("+ agenda baru", "+ new agenda"),
    "agenda_name": ("Nama agenda baru", "New agenda's name"),
    "item_title": ("Judul butir (boleh kosong)", "Item title (optional)"),
    "add_to_agenda": ("Tambah ke agenda", "Add to agenda"),
    "added": ("Tampilan ini ditambahkan ke agenda {name} (butir {pos}).",
              "This view was added to agenda {name} (item {pos})."),
    "record": ("Catat tindak lanjut", "Record a follow-up"),
    "region": ("Wilayah", "Region"),
    "isi": ("Keputusan / tindak lanjut", "Decision / follow-up"),
    "pj": ("Penanggung jawab (instansi)", "Responsible office"),
    "tenggat": ("Tenggat", "Due date"),
    "status": ("Status", "Status"),
    "catatan": ("Catatan", "Note"),
    "save": ("Simpan tindak lanjut", "Save follow-up"),
    "saved": ("Tindak lanjut #{id} disimpan: {figures}.", "Follow-up #{id} saved: {figures}."),
    "choose_region": ("Pilih wilayah untuk tindak lanjut", "Choose the follow-up's region"),
    "login_to_write": ("Masuk sebagai editor, sekretariat atau admin untuk mencatat.",
                       "Log in as an editor, secretariat or admin to record."),
    "no_agendas": ("Belum ada agenda. Tambahkan tampilan dari halaman peta (panel samping: "
                   "Rapat → Tambah ke agenda) atau tempel tautannya di bawah.",
                   "No agenda yet. Add views from a map page (sidebar: Meeting → Add to "
                   "agenda) or paste their link below."),
    "pick_agenda": ("Agenda", "Agenda"),
    "meeting_date": ("Tanggal rapat", "Meeting date"),
    "present": ("▶ Sajikan (mode proyektor)", "▶ Present (projector mode)"),
    "present_help": ("Membuka butir pertama dalam mode proyektor; → / PageDown berikutnya, "
                     "← / PageUp sebelumnya, Esc selesai.",
                     "Opens the first item in projector mode; → / PageDown next, ← / PageUp "
                     "previous, Esc ends."),
    "open": ("buka", "open"),
    "up": ("Naikkan", "Move up"),
    "down": ("Turunkan", "Move down"),
    "remove": ("Hapus", "Remove"),
    "edit_title": ("Ubah judul", "Edit title"),
    "paste_link": ("Tempel tautan dasbor", "Paste a dashboard link"),
    "add_link": ("Tambah", "Add"),
    "delete_agenda": ("Hapus agenda ini", "Delete this agenda"),
    "pack": ("Unduh paket rapat (PPTX) agenda ini", "Download this agenda's meeting pack (PPTX)"),
    "pack_prepare": ("Siapkan paket rapat agenda ini", "Prepare this agenda's meeting pack"),
    "pack_building": ("Menyiapkan paket rapat …", "Preparing the meeting pack …"),
    "pack_region": ("Wilayah paket (tindak lanjut)", "Pack region (follow-ups)"),
    "followups": ("Tindak lanjut", "Follow-ups"),
    "filter_region": ("Wilayah (beserta sub-wilayah)", "Region (with sub-regions)"),
    "filter_status": ("Status", "Status"),
    "filter_pj": ("Instansi", "Office"),
    "filter_overdue": ("Hanya yang terlambat", "Overdue only"),
    "none": ("Belum ada tindak lanjut untuk pilihan ini.", "No follow-ups for this choice."),
    "overdue_n": ("{n} tindak lanjut melewati tenggat.", "{n} follow-ups are overdue."),
    "update": ("Perbarui tindak lanjut", "Update a follow-up"),
    "update_save": ("Simpan perubahan", "Save changes"),
    "updated": ("Tindak lanjut #{id} diperbarui.", "Follow-up #{id} updated."),
    "history": ("Riwayat perubahan (audit)", "Change history (audit)"),
    "failed": ("Tidak disimpan: {msg}", "Not saved: {msg}"),
    "download_csv": ("Unduh CSV", "Download CSV"),
    "download_xlsx": ("Unduh XLSX", "Download XLSX"),
    "col_id": ("No.", "No."), "col_wilayah": ("Wilayah", "Region"),
    "col_indikator": ("Indikator", "Indicator"), "col_isi": ("Keputusan", "Decision"),
    "col_pj": ("PJ", "Office"), "col_tenggat": ("Tenggat", "Due"),
    "col_status": ("Status", "Status"), "col_saat_itu": ("Saat diputuskan", "When decided"),
    "col_kini": ("Kini", "Now"), "col_terlambat": ("Terlambat", "Overdue"),
    "col_catatan": ("Catatan", "Note"), "col_oleh": ("Dicatat oleh", "Recorded by"),
    "overdue_mark": ("⚠ terlambat", "⚠ overdue"),
    "status_baru": ("baru", "new"), "status_berjalan": ("berjalan", "in progress"),
    "status_selesai": ("selesai", "done"),
    "no_data": ("tidak ada data", "no data"),
}


def tx(key: str, **values) -> str:
    return pick(TEXT[key], **values)
