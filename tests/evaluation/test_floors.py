import json

import pytest

from pagesplit.errors import UsageError
from pagesplit.evaluation import floors as F

SCORES = {"overall": {"bcubed_f1": 0.8123, "pages": 3, "join_f1": None, "roles": {}}, "by_layout": {"wrapped": {"bcubed_f1": 0.5}}}


def test_figures_flatten_overall_and_layouts():
    figs = F.figures({"dev": SCORES})
    assert figs["dev.bcubed_f1"] == 0.8123 and figs["dev.wrapped.bcubed_f1"] == 0.5
    assert figs["dev.join_f1"] is None and "dev.roles" not in figs


@pytest.mark.parametrize(
    "floors,expected",
    [
        ({"dev.bcubed_f1": 0.8}, []),
        ({"dev.bcubed_f1": 0.9}, ["dev.bcubed_f1: 0.812 < floor 0.900"]),
        ({"dev.join_f1": 0.1}, ["dev.join_f1: not measured (floor 0.100)"]),
        ({"seed.bcubed_f1": 0.1}, ["seed.bcubed_f1: not measured (floor 0.100)"]),
    ],
)
def test_check(floors, expected):
    assert F.check(floors, F.figures({"dev": SCORES})) == expected


def test_pin_raises_never_lowers_never_adds():
    reached = F.figures({"dev": SCORES})
    out = F.pinned({"dev.bcubed_f1": 0.5, "dev.wrapped.bcubed_f1": 0.7}, reached)
    assert out == {"dev.bcubed_f1": 0.812, "dev.wrapped.bcubed_f1": 0.7}


def test_save_keeps_comments_and_load_rejects_junk(tmp_path):
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"_comment": "keep me", "dev.bcubed_f1": 0.1}))
    F.save(path, {"dev.bcubed_f1": 0.2})
    assert json.loads(path.read_text()) == {"_comment": "keep me", "dev.bcubed_f1": 0.2}
    assert F.load(path) == {"dev.bcubed_f1": 0.2}
    path.write_text(json.dumps({"dev.bcubed_f1": "high"}))
    with pytest.raises(UsageError):
        F.load(path)
    with pytest.raises(UsageError):
        F.load(tmp_path / "absent.json")


def test_repository_floors_file_is_valid():
    floors = F.load(F.DEFAULT_PATH)
    assert floors and all(k.split(".")[0] in ("dev", "seed") for k in floors)
