"""The dev-set driver: compose, run the pipeline, the naive baseline and TextTiling, score them (and the seed page),
print them side by side, write ``work_dir/eval.json``, and check the pipeline's figures against floors.

Layout of ``work_dir`` (outside the repository: it holds corpus text):

    dev/pages, dev/gold, dev/compose.json     the composed dev set
    out/{pipeline,baseline,texttiling}/       Parquet output on the dev set
    out/seed-{pipeline,baseline,texttiling}/  Parquet output on the seed page
    eval.json                                 every score, the figures, the floor failures
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rich.console import Console

from ..errors import InputMissing, UsageError
from . import baseline, floors as F, tiling
from .compose import compose
from .report import side_by_side
from .score import score

Runner = Callable[[Path, Path], object]
# The columns of the report: ours, the naive baseline, the text-segmentation peer.
SYSTEMS = ("pipeline", "baseline", "texttiling")


@dataclass(frozen=True, slots=True)
class DevResult:
    report: dict  # what eval.json holds
    failures: tuple[str, ...]  # figures below their floors; empty: the gate passes


def pipeline_runner() -> Runner | None:
    """``pagesplit.runner.run`` when the pipeline is installed, else None."""
    try:
        from .. import runner  # noqa: PLC0415 - optional until the pipeline lands
    except ImportError:
        return None
    here = Path(__file__).resolve().parents[1]
    if Path(runner.__file__).resolve().parent != here:
        # An editable install of another checkout can resolve a module this checkout lacks: scoring
        # that mix would credit (or blame) code that is not under test.
        raise UsageError(
            f"pagesplit.runner comes from {runner.__file__}, not from {here}",
            hint="run the evaluation from the checkout that holds the pipeline (or install this one)",
        )
    return runner.run


def _run(runner: Runner, input_root: Path, output_root: Path) -> None:
    shutil.rmtree(output_root, ignore_errors=True)  # a stale partition must never be scored
    output_root.mkdir(parents=True)
    runner(input_root, output_root)


def eval_dev(
    corpus_dir: Path,
    work_dir: Path,
    *,
    runner: Runner | None = None,
    peer: Runner | None = None,
    seed_dir: Path | None = None,
    floors_path: Path = F.DEFAULT_PATH,
    pin: bool = False,
    n_issues: int = 40,
    months: tuple[str, ...] = ("2020-07", "2020-08", "2020-09"),
    console: Console | None = None,
) -> DevResult:
    """Run the whole evaluation; ``runner`` defaults to ``pagesplit.runner.run``, ``peer`` (the
    text-segmentation column) to TextTiling over pkuseg tokens.

    ``seed_dir`` defaults to ``<corpus_dir>/../seed`` (the shared layout) and is skipped when absent.
    """
    console = console or Console()
    corpus_dir, work_dir = Path(corpus_dir), Path(work_dir)
    if not corpus_dir.is_dir():
        raise InputMissing(f"corpus directory {corpus_dir} not found", hint="pass the People's Daily corpus, e.g. ../shared/corpus")
    runner = runner or pipeline_runner()
    seed_dir = Path(seed_dir) if seed_dir else corpus_dir.parent / "seed"
    dev = work_dir / "dev"
    composed = compose(corpus_dir, dev, months=months, n_issues=n_issues)
    systems: dict[str, Runner | None] = {"pipeline": runner, "baseline": baseline.run, "texttiling": peer or tiling.run}
    scores: dict[str, dict[str, dict | None]] = {"dev": {}, "seed": {}}
    sets = {"dev": (dev / "pages", dev / "gold")}
    if (seed_dir / "gold").is_dir() and (seed_dir / "pages").is_dir():
        sets["seed"] = (seed_dir / "pages", seed_dir / "gold")
    for set_name, (pages, gold_dir) in sets.items():
        for system, run in systems.items():
            if run is None:
                scores[set_name][system] = None
                continue
            out = work_dir / "out" / (system if set_name == "dev" else f"{set_name}-{system}")
            _run(run, pages, out)
            scores[set_name][system] = score(gold_dir, out)
    reached = F.figures({k: v["pipeline"] for k, v in scores.items() if v.get("pipeline")})
    limits = F.load(floors_path)
    if pin:
        F.save(floors_path, F.pinned(limits, reached))
        limits = F.load(floors_path)
    failures = F.check(limits, reached)
    if runner is None:
        failures.insert(0, "pipeline: pagesplit.runner.run is not available; only the baseline was scored")
    report = {
        "compose": {k: composed[k] for k in ("options", "issues", "n_pages", "totals")},
        "scores": scores,
        "figures": reached,
        "floors": limits,
        "failures": failures,
    }
    (work_dir / "eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(side_by_side(columns(scores), f"dev set: {composed['n_pages']} pages, {len(composed['issues'])} issues"))
    return DevResult(report, tuple(failures))


def columns(scores: dict[str, dict[str, dict | None]]) -> dict[str, dict | None]:
    """pipeline | baseline | texttiling for the dev set, then per layout, then the seed page."""
    cols: dict[str, dict | None] = {}
    dev = scores.get("dev", {})
    for system in SYSTEMS:
        cols[f"dev {system}"] = dev.get(system) and dev[system]["overall"]
    layouts = sorted({lay for r in dev.values() if r for lay in r["by_layout"]})
    for layout in layouts:
        for system in SYSTEMS:
            r = dev.get(system)
            cols[f"{layout} {system}"] = r and r["by_layout"].get(layout)
    for system in SYSTEMS:
        r = scores.get("seed", {}).get(system)
        if "seed" in scores and scores["seed"]:
            cols[f"seed {system}"] = r and r["overall"]
    return cols
