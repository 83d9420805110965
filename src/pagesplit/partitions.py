"""Reading an output one issue (partition) at a time, without scanning the whole table.

``io.read_table`` discovers every partition on each call; a reader that walks the output issue by
issue uses these instead, so its cost stays linear in the number of issues.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import OutputError
from .io import DATA_FILE, partition_dir
from .schema import SCHEMAS


def list_partitions(output_dir: Path, table: str) -> list[tuple[str, str]]:
    """``(publication, issue_date)`` of every partition of ``table``, sorted."""
    files = (Path(output_dir) / table).glob(f"publication=*/issue_date=*/{DATA_FILE}")
    return sorted(
        (unquote(f.parent.parent.name.split("=", 1)[1]), unquote(f.parent.name.split("=", 1)[1])) for f in files
    )


def read_partition(output_dir: Path, table: str, publication: str, issue_date: str) -> pa.Table:
    """One partition of ``table`` with its partition columns restored, in schema order (empty if
    the partition does not exist)."""
    schema = SCHEMAS[table].remove_metadata()
    path = partition_dir(output_dir, table, publication, issue_date) / DATA_FILE
    if not path.exists():
        return schema.empty_table()
    try:
        data = pq.read_table(path)
    except OSError as exc:
        raise OutputError(f"cannot read {path}: {exc}", hint="the file is damaged: re-run that issue") from exc
    n = data.num_rows
    data = data.append_column("publication", pa.array([publication] * n, pa.string()))
    data = data.append_column("issue_date", pa.array([issue_date] * n, pa.string()))
    return data.select(schema.names).cast(schema)
