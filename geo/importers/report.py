"""The import report shared by every importer.

One row per finding: ``baris`` (row number as the user sees it in the file: spreadsheet row
with the header as row 1 and any title rows above it counted; for vector files the feature
number, first feature = 1; 0 for the file as a whole), ``kolom``, ``nilai`` (the value as
read), ``pesan`` (Bahasa Indonesia) and ``tingkat``:

* ``ditolak``    — the row was not imported;
* ``diperbaiki`` — the row was imported with a value changed (swapped coordinates,
  DMS converted, code normalised, geometry repaired, code found from the name…);
* ``peringatan`` — the row was imported as is, but something needs a look (a value was
  emptied, an unknown code with a suggestion, a point just off the coast…).

Counts: ``diterima`` = rows imported (including the repaired ones), ``diperbaiki`` = rows
imported with at least one change, ``ditolak`` = rows not imported. ``diterima + ditolak``
is the number of data rows read (empty lines are not rows and are not counted).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.importers.cells import to_csv_bytes
from geo.messages import without_paths

REJECTED = "ditolak"
REPAIRED = "diperbaiki"
WARNING = "peringatan"
LEVELS = (REJECTED, REPAIRED, WARNING)
COLUMNS = ["baris", "kolom", "nilai", "pesan", "tingkat"]


def finding(row: int, column: str, value, message: str, level: str) -> dict:
    """One report row; ``value`` is stored as text (empty for missing)."""
    if level not in LEVELS:
        raise ValueError(f"tingkat tidak dikenal: {level}")
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        text = ""
    else:
        text = str(value)
    return {"baris": int(row), "kolom": str(column), "nilai": text, "pesan": message,
            "tingkat": level}


class ImportRefused(Exception):
    """A file that cannot be imported at all (message in Bahasa Indonesia)."""


@dataclass
class ImportReport:
    """Findings and counts of one import. ``total`` = data rows read."""
    kind: str
    source: str
    total: int = 0
    accepted: int = 0
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    notes: list[str] = field(default_factory=list)   # file-level facts (encoding, mapping…)
    fatal: str | None = None                         # why nothing could be read
    accepted_rows: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, kind: str, source: str, total: int, accepted_rows: list[int],
              findings: list[dict], notes: list[str] | None = None,
              fatal: str | None = None) -> ImportReport:
        df = pd.DataFrame(findings, columns=COLUMNS)
        if len(df):
            df = df.sort_values("baris", kind="stable").reset_index(drop=True)
        df["baris"] = df["baris"].astype(int)
        return cls(kind=kind, source=source, total=int(total), accepted=len(accepted_rows),
                   problems=df, notes=list(notes or []), fatal=fatal,
                   accepted_rows=sorted(int(r) for r in accepted_rows))

    @classmethod
    def refused(cls, kind: str, source: str, message: str) -> ImportReport:
        message = without_paths(message)     # never a server path in what the user reads
        rep = cls.build(kind, source, 0, [], [finding(0, "", "", message, REJECTED)],
                        fatal=message)
        return rep

    # ------------------------------------------------------------------ rows and counts
    @property
    def rejected_rows(self) -> list[int]:
        p = self.problems
        rows = set(p.loc[p["tingkat"] == REJECTED, "baris"].astype(int))
        return sorted(rows - set(self.accepted_rows) - {0})

    @property
    def repaired_rows(self) -> list[int]:
        p = self.problems
        rows = set(p.loc[p["tingkat"] == REPAIRED, "baris"].astype(int))
        return sorted(rows & set(self.accepted_rows))

    @property
    def rejected(self) -> int:
        return self.total - self.accepted

    @property
    def repaired(self) -> int:
        return len(self.repaired_rows)

    @property
    def counts(self) -> dict[str, int]:
        return {"diterima": self.accepted, "diperbaiki": self.repaired,
                "ditolak": self.rejected,
                "peringatan": int((self.problems["tingkat"] == WARNING).sum())}

    @property
    def ok(self) -> bool:
        """True when at least one row could be imported."""
        return self.fatal is None and self.accepted > 0

    def messages(self, row: int) -> list[tuple[str, str, str]]:
        """(kolom, pesan, tingkat) of one row, in report order."""
        p = self.problems.loc[self.problems["baris"] == row]
        return list(zip(p["kolom"], p["pesan"], p["tingkat"]))

    def summary(self) -> str:
        if self.fatal:
            return f"Berkas {self.source} tidak dapat diimpor: {self.fatal}"
        c = self.counts
        return (f"{self.source}: {self.total} baris dibaca — {c['diterima']} diterima "
                f"(termasuk {c['diperbaiki']} diperbaiki), {c['ditolak']} ditolak, "
                f"{c['peringatan']} peringatan.")

    # ------------------------------------------------------------------ export
    def to_frame(self) -> pd.DataFrame:
        return self.problems[COLUMNS].copy()

    def to_csv(self, path: str | Path | None = None) -> str:
        """The report as CSV (UTF-8 with BOM for Excel, cells neutralised against formula
        injection). Written atomically to ``path`` when given; the text is returned."""
        data = to_csv_bytes(self.to_frame())
        if path is not None:
            from geo.cache import write_bytes_atomic
            write_bytes_atomic(Path(path), data)
        return data.decode("utf-8-sig")
