"""The Parquet output contract, read back as a downstream indexer would."""

import pyarrow.parquet as pq

from pagesplit import io, schema
from pagesplit.runner import run

from .conftest import EXAMPLES


def test_tables_partitions_and_schema_version(examples_output):
    out, record = examples_output
    for name in schema.TABLES:
        files = list((out / name).glob("publication=*/issue_date=*/part-0.parquet"))
        assert files, name
        meta = pq.read_schema(files[0]).metadata
        assert meta[b"pagesplit.schema_version"] == schema.SCHEMA_VERSION.encode()
        assert pq.ParquetFile(files[0]).metadata.row_group(0).column(0).compression == "ZSTD"
        table = io.read_table(out, name)
        assert table.schema.names == schema.SCHEMAS[name].names
    pages = io.read_table(out, "pages").to_pylist()
    assert {p["source_path"] for p in pages} == {
        p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.txt")
    }
    assert record["pages"] == len(pages) and record["rejected"] == 0
    for p in pages:
        assert p["n_segments"] > 0 and p["n_articles"] > 0 and p["run_id"] == record["run_id"]


def test_every_kept_segment_has_an_article_and_removed_ones_a_reason(examples_output):
    out, _ = examples_output
    for s in io.read_table(out, "segments").to_pylist():
        if s["removed"]:
            assert s["article_id"] is None and s["removal_reason"] and s["role"] == s["removed"]
        else:
            assert s["article_id"] and s["article_seq"] is not None


def test_rerun_gives_identical_rows_and_ids(examples_output, tmp_path, tokenizer):
    out, _ = examples_output
    run(EXAMPLES, tmp_path, tokenizer=tokenizer)
    run(EXAMPLES, tmp_path, tokenizer=tokenizer)
    for name in ("segments", "articles"):
        a = io.read_table(out, name).drop_columns(["run_id"]).sort_by("page_id")
        b = io.read_table(tmp_path, name).drop_columns(["run_id"]).sort_by("page_id")
        assert a.equals(b), name


def test_a_reader_never_sees_a_half_written_partition(tmp_path):
    table = schema.rejects_table([{"source_path": "x", "reason": "r", "detail": ""}], "run1")
    io.write_partition(tmp_path, "rejects", table, "p", "2024-01-01")
    d = io.partition_dir(tmp_path, "rejects", "p", "2024-01-01")
    (d / "_tmp-deadbeef.parquet").write_bytes(b"half a file")  # a killed writer's leftover
    assert io.read_table(tmp_path, "rejects").num_rows == 1
    io.write_partition(tmp_path, "rejects", table, "p", "2024-01-01")
    assert [f.name for f in d.iterdir()] == ["part-0.parquet"]
