"""What an index was built from: ``<index_dir>/pagesplit-index.json``, written after each commit.

Keys: ``format`` (fields.INDEX_FORMAT), ``schema_version`` (the output's), ``output_dir``
(absolute), ``runs`` (the run ids whose results the index holds), ``mode`` and ``reason`` of the
last build, ``n_docs``, ``built_at`` (UTC, ISO-8601).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

STATE_FILE = "pagesplit-index.json"


def read_state(index_dir: Path) -> dict | None:
    path = Path(index_dir) / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # damaged: treated as "built from unknown", i.e. rebuilt in full


def write_state(index_dir: Path, state: dict) -> None:
    path = Path(index_dir) / STATE_FILE
    tmp = path.with_name(f".{STATE_FILE}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
