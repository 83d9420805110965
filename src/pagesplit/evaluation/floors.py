"""Floors: ``eval/floors.json`` maps a figure name to its minimum; the dev-set driver fails when any
figure is below its floor.

Figure names: ``<set>[.<layout>].<metric>`` for the pipeline, e.g. ``dev.bcubed_f1``,
``dev.wrapped.text_similarity``, ``seed.duplicate_f1``. A floor is lowered only by editing the file;
``pin`` raises floors to the reached figures (rounded down to PIN_DECIMALS) and never lowers one.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..errors import UsageError

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "eval" / "floors.json"
PIN_DECIMALS = 3  # rounding down by 0.001 keeps a re-run with the same figures from failing


def load(path: Path) -> dict[str, float]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"floors file {path} not found", hint="pass --floors or create eval/floors.json") from exc
    except ValueError as exc:
        raise UsageError(f"floors file {path} is not JSON: {exc}", hint="fix the file by hand") from exc
    floors = {k: v for k, v in data.items() if not k.startswith("_")}
    bad = [k for k, v in floors.items() if not isinstance(v, (int, float))]
    if bad:
        raise UsageError(f"floors {bad} in {path} are not numbers", hint="each floor maps a figure name to a number")
    return {k: float(v) for k, v in floors.items()}


def figures(scores: dict[str, dict]) -> dict[str, float | None]:
    """Flatten {set: score result} into figure names -> values (overall and per layout)."""
    out: dict[str, float | None] = {}
    for set_name, result in scores.items():
        if not result:
            continue
        for prefix, m in [(set_name, result["overall"])] + [
            (f"{set_name}.{layout}", lm) for layout, lm in result["by_layout"].items()
        ]:
            for k, v in m.items():
                if isinstance(v, (int, float)) or v is None:
                    out[f"{prefix}.{k}"] = v
    return out


def check(floors: dict[str, float], reached: dict[str, float | None]) -> list[str]:
    """One message per figure below its floor (or not measured)."""
    failures = []
    for name, floor in sorted(floors.items()):
        value = reached.get(name)
        if value is None:
            failures.append(f"{name}: not measured (floor {floor:.3f})")
        elif value < floor:
            failures.append(f"{name}: {value:.3f} < floor {floor:.3f}")
    return failures


def pinned(floors: dict[str, float], reached: dict[str, float | None]) -> dict[str, float]:
    """Floors raised to the reached figures (rounded down); never lowered; no new names added."""
    scale = 10**PIN_DECIMALS
    out = dict(floors)
    for name, floor in floors.items():
        value = reached.get(name)
        if value is not None:
            out[name] = max(floor, math.floor(value * scale) / scale)
    return out


def save(path: Path, floors: dict[str, float]) -> None:
    """Write ``floors``, keeping the file's ``_comment``-style keys."""
    path = Path(path)
    notes = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k.startswith("_")} if path.exists() else {}
    path.write_text(json.dumps({**notes, **dict(sorted(floors.items()))}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
