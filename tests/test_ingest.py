"""Discovery, manifests and decoding: every input file becomes a page or a reject with a reason."""

import json

import pytest

from pagesplit.errors import InputMissing, PageRejected
from pagesplit.ingest import decode, discover, load_page, read_manifest

TEXT = "本报讯（记者 张三）今天天气很好，市民纷纷外出踏青。\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("gb18030"), "gb18030"),
        ("本報訊（記者 張三）今天天氣很好，市民紛紛外出踏青。國家發展".encode("big5"), "big5"),
    ],
)
def test_decode_detects_encodings(data, encoding):
    text, enc = decode(data)
    assert enc == encoding
    assert "今天" in text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)) * 4, "binary"),
        (b"\x81\x30\x81", "undecodable"),  # truncated GB18030 four-byte sequence
    ],
)
def test_decode_rejects(data, reason):
    with pytest.raises(PageRejected) as exc:
        decode(data)
    assert exc.value.reason == reason


def test_discover_layout_and_rejects(tmp_path):
    (tmp_path / "daily" / "2024-03-05").mkdir(parents=True)
    (tmp_path / "daily" / "2024-03-05" / "p02.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "daily" / "2024-13-05").mkdir(parents=True)
    (tmp_path / "daily" / "2024-13-05" / "p01.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "loose.txt").write_text(TEXT, encoding="utf-8")
    refs, rejects = discover(tmp_path)
    assert [(r.publication, r.issue_date, r.page_no, r.page_id) for r in refs] == [("daily", "2024-03-05", 2, "daily/2024-03-05/p02")]
    assert sorted(r.reason for r in rejects) == ["bad_date", "bad_path"]


def test_missing_input_is_a_coded_error(tmp_path):
    with pytest.raises(InputMissing) as exc:
        discover(tmp_path / "nope")
    assert exc.value.code == "E101"


def test_manifest_rows(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    rows = [
        {"path": "a.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 3},
        {"path": "a.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 3},
        {"path": "../../etc/passwd", "publication": "daily", "issue_date": "2024-03-05", "page_no": 1},
        {"path": "b.txt", "publication": "daily", "issue_date": "", "page_no": 1},
    ]
    m = tmp_path / "m.jsonl"
    m.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    refs, rejects = read_manifest(m, tmp_path)
    assert [(r.source_path, r.page_no) for r in refs] == [("a.txt", 3)]
    assert [r.reason for r in rejects] == ["duplicate_manifest_row", "path_outside_root", "bad_date"]


def test_load_page_records_hash_and_encoding(tmp_path):
    from pagesplit.types import PageRef

    (tmp_path / "d" / "2024-03-05").mkdir(parents=True)
    f = tmp_path / "d" / "2024-03-05" / "p01.txt"
    f.write_bytes(TEXT.encode("gb18030"))
    page = load_page(tmp_path, PageRef("d/2024-03-05/p01.txt", "d", "2024-03-05", 1))
    assert page.encoding == "gb18030" and page.text == TEXT and len(page.sha256) == 64
    f.write_text("   \n\n", encoding="utf-8")
    with pytest.raises(PageRejected, match="blank"):
        load_page(tmp_path, PageRef("d/2024-03-05/p01.txt", "d", "2024-03-05", 1))
