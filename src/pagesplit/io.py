"""Parquet output: one Hive partition (publication=…/issue_date=…) per issue and table, each
replaced atomically, and the reader that puts the partition columns back.

Atomicity: a partition holds exactly one data file, ``part-0.parquet``. A new version is written
next to it as ``_tmp-<uuid>.parquet`` (names starting with ``_`` are ignored by Arrow, Spark, DuckDB
and Polars readers) and moved over it with ``os.replace``, which is atomic on POSIX. A reader sees
the old file or the new one, never half of one; a process killed mid-write leaves a ``_tmp`` file
that the next write of that partition removes.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
import uuid
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .errors import OutputError
from .schema import PARTITION_COLUMNS, SCHEMAS

DATA_FILE = "part-0.parquet"
COMPRESSION = "zstd"
UNKNOWN = "__unknown__"  # partition value for rejects whose publication/date could not be read

_PARTITIONING = ds.partitioning(
    pa.schema([(c, pa.string()) for c in PARTITION_COLUMNS]), flavor="hive"
)


def partition_dir(out_root: Path, table: str, publication: str | None, issue_date: str | None) -> Path:
    pub = quote(publication or UNKNOWN, safe="")
    date = quote(issue_date or UNKNOWN, safe="")
    return Path(out_root) / table / f"publication={pub}" / f"issue_date={date}"


def write_partition(
    out_root: Path, table_name: str, table: pa.Table, publication: str | None, issue_date: str | None
) -> Path:
    """Atomically replace one partition of ``table_name`` with ``table`` (partition columns dropped)."""
    schema = SCHEMAS[table_name]
    if table.schema.remove_metadata() != schema.remove_metadata():
        raise OutputError(f"table {table_name!r} does not match its schema", hint="a bug: report it")
    target_dir = partition_dir(out_root, table_name, publication, issue_date)
    data = table.drop_columns(list(PARTITION_COLUMNS)).replace_schema_metadata(schema.metadata)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        for stale in target_dir.glob("_tmp-*.parquet"):
            stale.unlink(missing_ok=True)
        tmp = target_dir / f"_tmp-{uuid.uuid4().hex}.parquet"
        pq.write_table(data, tmp, compression=COMPRESSION)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target_dir / DATA_FILE)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target_dir}: {exc.strerror or exc}",
            hint="check that the output directory is writable and the disk has space; "
            "the previous data of this partition is unchanged",
        ) from exc
    return target_dir / DATA_FILE


def write_issue(
    out_root: Path,
    tables: dict[str, pa.Table],
    publication: str,
    issue_date: str,
    *,
    before_rename=None,
    after_rename=None,
) -> list[Path]:
    """Replace the partitions of one issue in several tables together: every table is written and
    fsynced as a ``_tmp-`` file first, then all are renamed over their ``part-0.parquet``.

    Nothing becomes visible until every file is complete, so a failure while writing (disk full, a
    killed process) leaves all of the issue's previous partitions in place. The renames themselves
    are separate ``os.replace`` calls: a reader listing the tables in the microseconds between two
    of them, or a crash there, can see the new version of one table beside the old version of
    another; the runner's in-flight record makes the next run rewrite such an issue.
    ``before_rename()`` and ``after_rename(i)`` (after the i-th rename) are hooks for crash tests.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for name, table in tables.items():
            schema = SCHEMAS[name]
            if table.schema.remove_metadata() != schema.remove_metadata():
                raise OutputError(f"table {name!r} does not match its schema", hint="a bug: report it")
            target_dir = partition_dir(out_root, name, publication, issue_date)
            target_dir.mkdir(parents=True, exist_ok=True)
            for stale in target_dir.glob("_tmp-*.parquet"):
                stale.unlink(missing_ok=True)
            tmp = target_dir / f"_tmp-{uuid.uuid4().hex}.parquet"
            data = table.drop_columns(list(PARTITION_COLUMNS)).replace_schema_metadata(schema.metadata)
            pq.write_table(data, tmp, compression=COMPRESSION)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            staged.append((tmp, target_dir / DATA_FILE))
        if before_rename is not None:
            before_rename()
        for i, (tmp, final) in enumerate(staged):
            os.replace(tmp, final)
            if after_rename is not None:
                after_rename(i)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise OutputError(
            f"cannot write issue {publication}/{issue_date}: {exc.strerror or exc}",
            hint="check that the output directory is writable and the disk has space; "
            "the issue's previous partitions are unchanged (or rewritten by the next run)",
        ) from exc
    return [final for _, final in staged]


@contextmanager
def output_errors(what: str):
    """Turn an OSError raised while writing ``what`` into a coded ``OutputError`` (E201)."""
    try:
        yield
    except OSError as exc:
        raise OutputError(
            f"cannot write {what}: {exc.strerror or exc}",
            hint="check that the output directory is writable and the disk has space; "
            "data already committed is unchanged and the next run completes this one",
        ) from exc


def delete_partition(out_root: Path, table_name: str, publication: str, issue_date: str) -> None:
    """Remove one partition's data file (and its directories once empty)."""
    target_dir = partition_dir(out_root, table_name, publication, issue_date)
    (target_dir / DATA_FILE).unlink(missing_ok=True)
    for stale in target_dir.glob("_tmp-*.parquet") if target_dir.exists() else ():
        stale.unlink(missing_ok=True)
    for d in (target_dir, target_dir.parent):
        try:
            d.rmdir()
        except OSError:
            break  # not empty (another issue of the publication) or already gone


def read_table(out_root: Path, table_name: str, *, filter=None) -> pa.Table:
    """Read a whole table (all partitions) with the partition columns restored, in schema order."""
    schema = SCHEMAS[table_name]
    root = Path(out_root) / table_name
    if not root.exists():
        return schema.empty_table()
    dataset = ds.dataset(
        root,
        format="parquet",
        partitioning=_PARTITIONING,
        schema=schema.remove_metadata(),
        exclude_invalid_files=False,
    )
    table = dataset.to_table(filter=filter)
    return table.select(schema.names)
