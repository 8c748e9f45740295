"""Binary COPY built column by column: the rows of a version go to PostgreSQL in its
binary COPY format, encoded a whole column at a time with numpy and pyarrow (no Python
loop over the rows), block by block so the server stores one block while the next is
built.

Each field is a 4-byte big-endian length (-1: NULL) and the value in the type's binary
wire form: text as UTF-8, jsonb as version byte 1 + the JSON text, int4 and float8
big-endian, bool one byte, geometry as EWKB with SRID 4326. The fixed-width columns
without NULL (and the columns holding one value for every row) make one record of bytes
per row (a numpy record array); every other column adds a piece per row (its length
header, then its bytes); pyarrow joins the pieces row by row. The result is what
psycopg's ``write_row`` sends for the same values (tests/db/test_store_partitions.py).

A save encodes the blocks in its own thread and hands them over (``Handover``) to a
thread that only sends them (``copy_buffers``): the server stores the rows while the
save's thread goes on with its checks.
"""
from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
TRAILER = b"\xff\xff"
NULL = b"\xff\xff\xff\xff"
#: rows per block sent to the server
BLOCK_ROWS = 10_000
SRID = 4326
_WIRE = {"int4": ">i4", "float8": ">f8", "bool": "u1"}
_INT4 = 2**31 - 1
_NOTHING = pa.scalar(b"", pa.large_binary())
#: EWKB of a 2-D point with SRID, little-endian: byte order, type | SRID flag, SRID, x, y
_EWKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("srid", "<u4"), ("x", "<f8"),
                        ("y", "<f8")])


@dataclass(frozen=True)
class Column:
    """One column of the COPY: ``kind`` is text, int4, float8, bool, jsonb or geometry;
    ``values`` a column (Series, array; geometry: shapely objects, None for none), or a
    single ``str`` (or None) that every row holds."""
    name: str
    kind: str
    values: object


def _binary(offsets: np.ndarray, data, n: int) -> pa.Array:
    return pa.Array.from_buffers(pa.large_binary(), n,
                                 [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _fields(values: np.ndarray, valid: np.ndarray, prefix: bytes = b"",
            lengths: np.ndarray | None = None) -> pa.Array:
    """Per row: the length header, then (valid rows only) ``prefix`` and the fixed-width
    value; ``lengths`` (per row) replaces the value's width in the header (the value's
    bytes then follow in another piece)."""
    n = len(valid)
    width = values.dtype.itemsize if values is not None else 0
    layout = [("len", ">i4")]
    if prefix:
        layout.append(("prefix", f"V{len(prefix)}"))
    if values is not None:
        layout.append(("value", values.dtype))
    rec = np.zeros(n, dtype=layout)
    body = len(prefix) + width
    rec["len"] = np.where(valid, body if lengths is None else lengths + body, -1)
    if prefix:
        rec["prefix"] = np.frombuffer(prefix, f"V{len(prefix)}")[0]
    if values is not None:
        rec["value"] = values
    size = 4 + body
    if valid.all():
        return _binary(np.arange(n + 1, dtype=np.int64) * size, rec, n)
    keep = np.ones((n, size), dtype=bool)
    keep[~valid, 4:] = False
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.where(valid, size, 4), out=offsets[1:])
    return _binary(offsets, rec.view(np.uint8).reshape(n, size)[keep], n)


def _utf8(values) -> pa.Array:
    """Text as UTF-8 bytes (large_binary; null where missing)."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values
    elif isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype) \
            and values.dtype.storage == "pyarrow":
        arr = pa.array(values.array)
    else:
        objs = pd.Series(values).to_numpy(dtype=object)
        try:
            arr = pa.array(objs, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):     # not all text: as psycopg would
            arr = pa.array([None if v is None or v is pd.NA or v != v else str(v)
                            for v in objs], type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string()).view(pa.large_binary())


def _numbers(values, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(wire values, valid) of an int4, float8 or bool column."""
    if kind == "bool":
        arr = pd.Series(values).astype("boolean").array
        valid = ~arr.isna()
        return arr.to_numpy(dtype=bool, na_value=False).astype("u1"), valid
    arr = pd.to_numeric(pd.Series(values), errors="raise").to_numpy(dtype="float64",
                                                                     na_value=np.nan)
    valid = ~np.isnan(arr)
    if kind == "int4":
        arr = np.trunc(np.where(valid, arr, 0))
        if np.abs(arr).max(initial=0) > _INT4:
            raise ValueError("bilangan bulat di luar rentang kolom basis data (int4)")
    return np.where(valid, arr, 0).astype(_WIRE[kind]), valid


def _all_points(geoms: np.ndarray) -> bool:
    """Whether every geometry present is a plain 2-D point (EWKB built from x and y)."""
    present = geoms[~shapely.is_missing(geoms)]
    return not len(present) or bool((shapely.get_type_id(present) == 0).all()
                                    and not shapely.has_z(present).any()
                                    and not shapely.is_empty(present).any())


def _points(geoms: np.ndarray) -> np.ndarray:
    """EWKB of 2-D points as a fixed-width array."""
    rec = np.zeros(len(geoms), dtype=_EWKB_POINT)
    rec["order"], rec["type"], rec["srid"] = 1, 0x20000001, SRID
    rec["x"], rec["y"] = shapely.get_x(geoms), shapely.get_y(geoms)
    return rec.view(f"V{_EWKB_POINT.itemsize}")


@dataclass(frozen=True)
class _Plan:
    """How a column is sent: ``fixed`` — one width in every row and never NULL, a field
    of the row record; else pieces of its own. ``points``: a geometry of 2-D points."""
    col: Column
    fixed: bool
    points: bool = False


def _plan(col: Column) -> _Plan:
    values = col.values
    if values is None or isinstance(values, str):
        return _Plan(col, True)
    if col.kind in _WIRE:
        return _Plan(col, not pd.Series(values).isna().any())
    if col.kind == "geometry":
        geoms = np.asarray(values, dtype=object)
        points = _all_points(geoms)
        return _Plan(col, points and not shapely.is_missing(geoms).any(), points)
    return _Plan(col, False)


def _slice(values, start: int, stop: int):
    return values.iloc[start:stop] if isinstance(values, pd.Series) else values[start:stop]


def _encode(plan: _Plan, start: int, stop: int):
    """Rows ``start:stop`` of a column: the record field (bytes for a column of one
    value, else a fixed-width array) or its pieces (pyarrow arrays)."""
    col = plan.col
    if col.values is None:
        return NULL
    if isinstance(col.values, str):
        raw = col.values.encode("utf-8")
        return len(raw).to_bytes(4, "big") + raw
    values = _slice(col.values, start, stop)
    if col.kind in _WIRE or plan.points:
        if plan.points:
            geoms = np.asarray(values, dtype=object)
            wire, valid = _points(geoms), ~shapely.is_missing(geoms)
        else:
            wire, valid = _numbers(values, col.kind)
        return wire if plan.fixed else [_fields(wire, valid)]
    if col.kind == "geometry":
        wkb = shapely.to_wkb(shapely.set_srid(np.asarray(values, dtype=object), SRID),
                             include_srid=True, flavor="extended")
        arr, prefix = pa.array(wkb, type=pa.large_binary()), b""
    else:       # text, jsonb
        arr, prefix = _utf8(values), b"\x01" if col.kind == "jsonb" else b""
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    lengths = pc.binary_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
    header = _fields(None, valid, prefix, lengths.astype(np.int64))
    return [header, arr if valid.all() else arr.fill_null(b"")]


def _record(fields: list, ncols: int, n: int) -> pa.Array:
    """The row record: the field count, then every fixed field (length and value)."""
    layout, values = [("count", ">i2")], {}
    for i, f in enumerate(fields):
        if isinstance(f, bytes):
            layout.append((f"c{i}", f"V{len(f)}"))
            values[f"c{i}"] = np.frombuffer(f, f"V{len(f)}")[0]
        else:
            layout += [(f"l{i}", ">i4"), (f"v{i}", f.dtype)]
            values[f"l{i}"], values[f"v{i}"] = f.dtype.itemsize, f
    rec = np.empty(n, dtype=layout)
    rec["count"] = ncols
    for name, v in values.items():
        rec[name] = v
    return _binary(np.arange(n + 1, dtype=np.int64) * rec.dtype.itemsize, rec, n)


class Encoded:
    """The COPY data of ``columns`` (``n`` rows): ``names`` in the order sent (the
    record's fields first), and the data block by block (``blocks()``), each block
    encoded when it is asked for."""

    def __init__(self, columns: list[Column], n: int):
        self.n = n
        plans = [_plan(c) for c in columns]
        self._plans = [p for p in plans if p.fixed] + [p for p in plans if not p.fixed]
        self.names = [p.col.name for p in self._plans]

    def block(self, start: int, stop: int) -> pa.Buffer:
        """Rows ``start:stop`` in the binary COPY format (no signature or trailer)."""
        fields, pieces = [], []
        for plan in self._plans:
            part = _encode(plan, start, stop)
            (fields if plan.fixed else pieces).append(part)
        parts = [_record(fields, len(self._plans), stop - start),
                 *(p for ps in pieces for p in ps)]
        joined = pc.binary_join_element_wise(*parts, _NOTHING) if len(parts) > 1 \
            else parts[0]
        offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64,
                                count=len(joined) + 1, offset=joined.offset * 8)
        return joined.buffers()[2][int(offsets[0]):int(offsets[-1])]

    def blocks(self, rows: int = BLOCK_ROWS):
        """The data (signature, rows, trailer) in buffers of ``rows`` rows."""
        yield SIGNATURE
        for start in range(0, self.n, rows):
            yield self.block(start, min(start + rows, self.n))
        yield TRAILER


class Abandoned(Exception):
    """The thread encoding the COPY data stopped (an error, or refused data): the COPY is
    cancelled, the transaction it runs in can only roll back."""


_END, _ABANDON = object(), object()


class Handover:
    """COPY data passed from the thread that encodes it to the thread that sends it.

    The sending thread only writes buffers already built to the connection (psycopg waits
    for the socket without the interpreter lock), so the server stores the rows while the
    encoding thread goes on with other work (the checks of a save) instead of the two
    threads taking the interpreter lock from each other block after block. Unbounded: at
    most the whole data waits here (~250 bytes a Posyandu row)."""

    def __init__(self):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._abandoned = threading.Event()

    def put(self, buffer) -> None:
        self._queue.put(buffer)

    def close(self) -> None:
        """All the data is handed over."""
        self._queue.put(_END)

    def abandon(self) -> None:
        """No more data will come: the sending thread cancels the COPY (``Abandoned``)."""
        self._abandoned.set()
        self._queue.put(_ABANDON)

    @property
    def abandoned(self) -> bool:
        return self._abandoned.is_set()

    def __iter__(self):
        while (item := self._queue.get()) is not _END:
            if item is _ABANDON:
                raise Abandoned("data COPY dibatalkan oleh pemanggil")
            yield item


def copy_buffers(conn, table: str, names: list[str], buffers) -> int:
    """COPY binary data (``buffers``: signature, rows, trailer — ``Encoded.blocks()`` or
    a ``Handover``) into the columns ``names`` of ``table`` inside the caller's
    transaction (``conn``: a SQLAlchemy connection on psycopg); returns the rows stored.
    An error raised by ``buffers`` cancels the COPY and is raised."""
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        # the text goes as UTF-8 whatever the database's default client encoding
        cur.execute("SET LOCAL client_encoding TO 'UTF8'")
        with cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN "
                      "(FORMAT BINARY)") as cp:
            for buffer in buffers:
                cp.write(buffer)
        return cur.rowcount


def copy_rows(conn, table: str, columns: list[Column], n: int, *,
              block_rows: int = BLOCK_ROWS) -> int:
    """COPY ``n`` rows of ``columns`` into ``table`` (binary) inside the caller's
    transaction, each block encoded just before it is sent; returns the rows stored."""
    data = Encoded(columns, n)
    return copy_buffers(conn, table, data.names, data.blocks(block_rows))
