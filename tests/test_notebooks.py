"""Every chapter runs top to bottom in a fresh kernel, cleanly, as a Jupyter reader
runs it; its sliders survive their extremes; its gradients are checked three ways."""

import re

import nbformat
import pytest
from notebook_runner import chapter_paths, last_json, run

CHAPTERS = chapter_paths()

SLIDER_CHECK = r"""
import json
from book_utils import explore, plots
report = []
for e in explore.views():
    problems = e.self_test()
    if e.kind == "image":
        e.png()
        problems += [f"text below the minimum size: {t}" for t in plots.small_fonts(e.fig)]
    report.append({"what": (e.caption or getattr(e, "alt", ""))[:60], "kind": e.kind,
                   "problems": problems,
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
                f"{path.name}: strip outputs"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_hidden_cells_are_collapsed_in_jupyterlab_too(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if {"remove-input", "hide-input"} & set(tags):
            assert cell.metadata.get("jupyter", {}).get("source_hidden"), (
                f"{path.name} cell {i}"
            )


@pytest.fixture(scope="module", params=CHAPTERS, ids=lambda p: p.stem)
def executed(request):
    return request.param, run(request.param, [SLIDER_CHECK])


def outputs(nb, mime):
    return [out["data"][mime] for cell in nb.cells for out in cell.get("outputs", [])
            if "data" in out and mime in out["data"]]  # fmt: skip


def test_runs_without_errors_or_warnings(executed):
    path, nb = executed
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", (
                f"{path.name} cell {i}: {out.get('evalue')}"
            )
            if out.output_type == "stream":
                assert out.name != "stderr", (
                    f"{path.name} cell {i} wrote to stderr: {out.text}"
                )
                assert "Warning" not in out.text, (
                    f"{path.name} cell {i}: {out.text[:300]}"
                )


def test_every_slider_survives_min_default_max_and_moves_the_picture(executed):
    path, nb = executed
    report = last_json(nb)
    assert any(e["kind"] == "image" for e in report), (
        f"{path.name} has no explorable figure"
    )
    for e in report:
        assert e["problems"] == [], f"{path.name}: {e['what']}: {e['problems']}"
    sliders = [s for e in report for s in e["sliders"]]
    assert any(s["log"] and s["name"] == "lr" for s in sliders), (
        f"{path.name}: no η slider"
    )
    assert any(not s["log"] for s in sliders), f"{path.name} has no weight slider"


def test_three_way_check_is_shown_and_passes(executed):
    path, nb = executed
    tables = [h for h in outputs(nb, "text/html") if "lfm-gradcheck" in h]
    assert tables, f"{path.name} shows no three-way gradient table"
    for t in tables:
        assert "MISMATCH" not in t and "✘" not in t, t
        assert "agree on" in t


def test_jupyter_readers_get_live_widgets_and_no_precomputed_frames(executed):
    """The static frames are for the HTML book only: in Jupyter, Run All stays fast."""
    path, nb = executed
    assert outputs(nb, "application/vnd.jupyter.widget-view+json"), path.name
    for page in outputs(nb, "text/html"):
        assert "lfm-frames" not in page, (
            f"{path.name} drew static frames outside the build"
        )


def markdown_of(path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_text_never_names_the_books_sources_as_files(path):
    """Readers never see the seed documents: "seed 002's example" means nothing to them."""
    for text in markdown_of(path):
        assert not re.search(r"\bseeds? ?0\d\d", text, re.I), (
            f"{path.name}: {text[:200]}"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_links_to_chapters_say_which_chapter(path):
    """{doc}`03_gradients` renders the page's whole title mid-sentence; links carry
    their own words instead: {doc}`Chapter 3 <03_gradients>`."""
    for text in markdown_of(path):
        bare = re.findall(r"\{doc\}`[^`<]*`", text)
        assert bare == [], f"{path.name}: links without their own text: {bare}"
