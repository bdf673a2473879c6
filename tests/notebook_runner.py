"""Run a chapter notebook top to bottom in a fresh kernel, for the tests and the
benchmarks: how the book checks itself, not part of its engine.

``run`` executes a notebook exactly as the build does (working directory
``chapters/``), optionally with extra code cells appended — e.g. one that drives
every explorable's sliders.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"


def chapter_paths() -> list[Path]:
    return sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))


def run(
    path: Path | str, extra_cells: list[str] = (), timeout: int = 600
) -> nbformat.NotebookNode:
    """Execute the notebook (plus ``extra_cells``) in a fresh python3 kernel; return it executed."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    for code in extra_cells:
        nb.cells.append(nbformat.v4.new_code_cell(code))
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return nb


def last_json(nb: nbformat.NotebookNode):
    """The JSON printed by the notebook's last cell (how an extra cell reports back)."""
    text = "".join(
        o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream"
    )
    return json.loads(text.strip().splitlines()[-1])
