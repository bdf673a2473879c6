"""Run All per chapter, as a Jupyter reader experiences it: a fresh kernel, every cell.

    .venv/bin/python benchmarks/run_all.py [chapters/03_gradients.ipynb …]

Prints, per chapter, the kernel start-up and the time from Run All to the last cell
finished (the kernel already started, as when a reader opens a notebook and clicks
Run All), and the three slowest cells. Target (DESIGN.md): Run All ≤ 3 s per chapter.
Static scrubber frames are not drawn here (they are drawn only by the book build).

A reader's Python caches the compiled engine (``__pycache__``) at its first import,
so every later Run All starts from bytecode. Machines that set
PYTHONDONTWRITEBYTECODE (this one does) would compile ``book_utils`` afresh in every
kernel instead, so the engine is compiled once here first, as a reader's is.
"""

import compileall
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# the notebook runner lives with the tests (how the book checks itself)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from notebook_runner import chapter_paths  # noqa: E402


def run_all(path: Path, repeat: int = 3) -> tuple[float, float, list, float]:
    """(kernel start, Run All) in seconds, best of ``repeat``; the slowest cells of
    that run; and the median Run All over the ``repeat`` runs (the machine is
    shared: compare medians taken in the same conditions)."""
    best = (float("inf"), float("inf"), [])
    totals = []
    for _ in range(repeat):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})  # fmt: skip
        start = time.perf_counter()
        with client.setup_kernel():
            ready = time.perf_counter()
            cells = []
            for i, cell in enumerate(nb.cells):
                t = time.perf_counter()
                client.execute_cell(cell, i)
                cells.append((time.perf_counter() - t, i))
            done = time.perf_counter()
        totals.append(done - ready)
        if done - ready < best[1]:
            best = (ready - start, done - ready, sorted(cells, reverse=True)[:3])
    return (*best, statistics.median(totals))


def main(paths):
    engine = Path(__file__).resolve().parent.parent / "book_utils"
    compileall.compile_dir(engine, quiet=1)  # as a reader's first import leaves it
    worst = 0.0
    for path in [Path(p) for p in paths] or chapter_paths():
        kernel, total, slow, median = run_all(path)
        worst = max(worst, total)
        slowest = ", ".join(f"cell {i} {t:.2f} s" for t, i in slow)
        print(
            f"{path.name:32s} Run All {total:5.2f} s best, {median:5.2f} s median of 3  "
            f"(kernel start {kernel:.2f} s; {slowest})"
        )
    print(f"\nslowest chapter: {worst:.2f} s (target ≤ 3 s)")


if __name__ == "__main__":
    main(sys.argv[1:])
