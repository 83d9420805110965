"""Run manifests: ``<output>/_runs/<run_id>.json``, one per pipeline run.

Readers here only need two keys: ``run_id`` (else the file stem) and ``input_root`` (the absolute
input directory the run read). Ordering uses ``finished_at`` / ``started_at`` when present (ISO-8601
strings sort correctly), else the file's modification time.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import OutputError

RUNS_DIR = "_runs"


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(
            f"cannot read run manifest {path}: {exc}",
            hint="the file is damaged; delete it or re-run the pipeline into this output",
        ) from exc
    if not isinstance(data, dict):
        raise OutputError(f"run manifest {path} is not a JSON object", hint="re-run the pipeline")
    data.setdefault("run_id", path.stem)
    return data


def list_runs(output_dir: Path) -> dict[str, dict]:
    """Every run manifest of the output, keyed by run_id, oldest first."""
    root = Path(output_dir) / RUNS_DIR
    if not root.is_dir():
        return {}
    entries = []
    for path in root.glob("*.json"):
        data = _load(path)
        stamp = str(data.get("finished_at") or data.get("started_at") or "")
        entries.append((stamp, path.stat().st_mtime, data))
    entries.sort(key=lambda e: (e[0], e[1]))
    return {e[2]["run_id"]: e[2] for e in entries}


def input_root_of(output_dir: Path, run_id: str | None = None) -> Path | None:
    """The input directory of ``run_id`` if that manifest exists, else of the latest run, else None."""
    runs = list_runs(output_dir)
    chosen = runs.get(run_id) if run_id else None
    if chosen is None and runs:
        chosen = list(runs.values())[-1]
    if chosen is None or not chosen.get("input_root"):
        return None
    return Path(chosen["input_root"])
