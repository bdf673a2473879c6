"""Every chapter runs top to bottom in a fresh kernel, cleanly, and its sliders survive their extremes."""


import nbformat
import pytest

from book_utils.notebook_runner import chapter_paths, last_json, run

CHAPTERS = chapter_paths()

SLIDER_CHECK = r"""
import json
from book_utils import explore
report = []
for e in explore.registry:
    report.append({"alt": e.alt[:50], "problems": e.self_test(),
                   "sliders": [{"name": s.name, "log": s.log} for s in e.sliders]})
print(json.dumps(report))
"""


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{path.name}: strip the outputs"
            )


@pytest.fixture(scope="module", params=CHAPTERS, ids=lambda p: p.stem)
def executed(request):
    return request.param, run(request.param, [SLIDER_CHECK])


def test_runs_without_errors_or_warnings(executed):
    path, nb = executed
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", (
                f"{path.name} cell {i}: {out.get('ename')}: {out.get('evalue')}"
            )
            if out.output_type == "stream":
                assert out.name != "stderr", (
                    f"{path.name} cell {i} wrote to stderr: {out.text[:300]}"
                )
                assert "Warning" not in out.text, (
                    f"{path.name} cell {i}: {out.text[:300]}"
                )


def test_every_slider_survives_min_default_max_and_moves_the_figure(executed):
    path, nb = executed
    report = last_json(nb)
    assert report, f"{path.name} has no explorable"
    for e in report:
        assert e["problems"] == [], f"{path.name}: {e['alt']}: {e['problems']}"
    sliders = [s for e in report for s in e["sliders"]]
    assert any(s["log"] and s["name"] == "lr" for s in sliders), (
        f"{path.name} has no learning-rate slider"
    )
    assert any(not s["log"] for s in sliders), f"{path.name} has no weight slider"


def test_three_way_check_is_shown_and_passes(executed):
    path, nb = executed
    html = [
        out["data"]["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "data" in out and "text/html" in out["data"]
    ]
    tables = [h for h in html if "lfm-gradcheck" in h]
    assert tables, f"{path.name} shows no three-way gradient table"
    for t in tables:
        assert "wrong" not in t and "suspect" not in t, t
