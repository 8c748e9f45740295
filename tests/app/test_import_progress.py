"""Issue 25: Kelola Data shows the progress of a registry import — rows done, rows per
second and time left — through geo's progress callback."""
from __future__ import annotations

import pytest

from tests.helpers import MESSY_CSV, kelola_data_app, use_empty_workspace


@pytest.fixture(autouse=True)
def _ws(tmp_path, monkeypatch):
    use_empty_workspace(tmp_path, monkeypatch)


def test_progress_text_in_indonesian_number_format(monkeypatch):
    import components.import_progress as ip
    from geo.importers.progress import Rate
    monkeypatch.setattr(ip, "lang", lambda: "id")
    monkeypatch.setattr("components.i18n.lang", lambda: "id")
    rate = Rate()
    rate.update("periksa", 120_000, 303_416)
    rate.started -= 4.8                       # 4.8 s for 120,000 rows: 25,000 rows/s
    text = ip.describe(rate)
    assert text.startswith("Memeriksa baris: 120.000 dari 303.416 baris · ")
    assert "baris/detik" in text and "sisa ±7 detik" in text
    assert rate.fraction == pytest.approx(120_000 / 303_416)


def test_kelola_data_draws_the_import_progress(monkeypatch):
    import components.views.data_import as view
    calls, shown = [], []
    real = view.progress_bar

    def recording():
        update, close = real()

        def spy(stage, done, total):
            calls.append((stage, done, total))
            update(stage, done, total)
        return spy, lambda: (shown.append(True), close())
    monkeypatch.setattr(view, "progress_bar", recording)
    at = kelola_data_app(timeout=90)
    at.file_uploader(key="upload-posyandu").set_value(
        ("posyandu_pahandut.csv", MESSY_CSV.encode("cp1252"), "text/csv")).run()
    assert not at.exception, at.exception
    stages = [c[0] for c in calls]
    assert "baca" in stages and stages[-1] == "periksa"
    assert calls[-1][1] == calls[-1][2] > 0        # every data row checked
    assert shown == [True]                          # the bar is removed when done
