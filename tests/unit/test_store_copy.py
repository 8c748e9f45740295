"""The binary COPY data of the PostGIS store, built column by column (geo.store.copy),
read back field by field with PostgreSQL's documented layout (no database; the same
data against a real server: tests/db/test_store_partitions.py)."""
from __future__ import annotations

import struct

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon

from geo.store.copy import SIGNATURE, TRAILER, Abandoned, Column, Encoded, Handover


def _rows(data: bytes) -> list[list[bytes | None]]:
    """The fields of every row of binary COPY data (None: NULL)."""
    assert data.startswith(SIGNATURE) and data.endswith(TRAILER)
    pos, rows = len(SIGNATURE), []
    while pos < len(data) - len(TRAILER):
        (count,), pos = struct.unpack_from(">h", data, pos), pos + 2
        row = []
        for _ in range(count):
            (size,), pos = struct.unpack_from(">i", data, pos), pos + 4
            row.append(None if size < 0 else data[pos:pos + size])
            pos += max(size, 0)
        rows.append(row)
    assert pos == len(data) - len(TRAILER)
    return rows


def _ewkb(geom) -> bytes:
    return shapely.to_wkb(shapely.set_srid(geom, 4326), include_srid=True)


COLUMNS = [
    Column("version_id", "text", "v-1"),
    Column("wilayah", "text", ["62.03", None, "62.71 ć"]),
    Column("n", "int4", pd.array([1, None, -3], dtype="Int64")),
    Column("x", "float8", [1.5, 2.25, np.nan]),
    Column("flag", "bool", [True, False, True]),
    Column("nothing", "int4", None),
    Column("attrs", "jsonb", pd.Series(['{"a": 1}', "{}", None])),
    Column("titik", "geometry", [Point(114.35, -2.95), None, Point(113.9, -2.2)]),
]


def test_fields_hold_each_value_in_its_wire_form():
    enc = Encoded(COLUMNS, 3)
    # the columns without NULL (or of one value) travel first, in one record per row
    assert enc.names == ["version_id", "flag", "nothing", "wilayah", "n", "x", "attrs",
                         "titik"]
    rows = _rows(b"".join(bytes(b) for b in enc.blocks()))
    assert len(rows) == 3 and {len(r) for r in rows} == {8}
    named = [dict(zip(enc.names, r)) for r in rows]
    assert [r["version_id"] for r in named] == [b"v-1"] * 3
    assert [r["wilayah"] for r in named] == [b"62.03", None, "62.71 ć".encode()]
    assert [r["n"] for r in named] == [struct.pack(">i", 1), None, struct.pack(">i", -3)]
    assert [r["x"] for r in named] == [struct.pack(">d", 1.5), struct.pack(">d", 2.25), None]
    assert [r["flag"] for r in named] == [b"\x01", b"\x00", b"\x01"]
    assert [r["nothing"] for r in named] == [None] * 3
    assert [r["attrs"] for r in named] == [b'\x01{"a": 1}', b"\x01{}", None]
    assert [r["titik"] for r in named] == [_ewkb(Point(114.35, -2.95)), None,
                                           _ewkb(Point(113.9, -2.2))]


def test_blocks_of_any_size_give_the_same_data():
    enc = Encoded(COLUMNS, 3)
    whole = b"".join(bytes(b) for b in enc.blocks())
    for rows in (1, 2):
        assert b"".join(bytes(b) for b in enc.blocks(rows)) == whole


def test_other_geometries_and_empty_frames():
    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 0)])
    enc = Encoded([Column("geom", "geometry", [square, Point(1, 2, 3)])], 2)
    assert [r[0] for r in _rows(b"".join(bytes(b) for b in enc.blocks()))] == \
        [_ewkb(square), _ewkb(Point(1, 2, 3))]
    empty = Encoded([Column("id", "text", pd.Series([], dtype=object))], 0)
    assert b"".join(bytes(b) for b in empty.blocks()) == SIGNATURE + TRAILER


def test_a_count_too_large_for_the_column_is_refused():
    with pytest.raises(ValueError, match="int4"):
        b"".join(bytes(b) for b in Encoded([Column("n", "int4", [2**31])], 1).blocks())


def test_handover_passes_buffers_in_order_until_closed_or_abandoned():
    done = Handover()
    for b in (b"a", b"bc"):
        done.put(b)
    done.close()
    assert list(done) == [b"a", b"bc"] and not done.abandoned
    stopped = Handover()
    stopped.put(b"a")
    stopped.abandon()
    got = []
    with pytest.raises(Abandoned):
        for b in stopped:
            got.append(b)
    assert got == [b"a"] and stopped.abandoned
