"""Slider latency of every explorable, measured in a real kernel.

For each chapter, runs the notebook, then moves every slider of every explorable
through 25 positions as a reader would (setting the ipywidgets value fires the
same callback the browser triggers) and prints median and p95 milliseconds per
move. Target (DESIGN.md): median ≤ 50 ms, p95 ≤ 100 ms.

    .venv/bin/python benchmarks/slider_latency.py [chapters/05_update.ipynb …]
"""

import sys
from pathlib import Path

# the notebook runner lives with the tests (how the book checks itself)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from notebook_runner import chapter_paths, last_json, run  # noqa: E402

MEASURE = r"""
import json, numpy as np
from book_utils import explore
out = []
for e in explore.views():
    e.widget(); e.timings.clear()
    for s in e.sliders:
        for v in s.sweep(25):
            e.set(**{s.name: v})
        e.set(**{s.name: s.default})
    t = np.array(e.timings) * 1000
    out.append({"explorable": e.caption or e.alt[:60], "moves": len(t),
                "median_ms": float(np.median(t)), "p95_ms": float(np.percentile(t, 95))})
print(json.dumps(out))
"""


def main(paths):
    worst = 0.0
    for path in paths or chapter_paths():
        print(f"\n{path.name if hasattr(path, 'name') else path}")
        for row in last_json(run(path, [MEASURE])):
            worst = max(worst, row["median_ms"])
            print(
                f"  median {row['median_ms']:6.1f} ms   p95 {row['p95_ms']:6.1f} ms   "
                f"({row['moves']} moves)  {row['explorable']}"
            )
    print(f"\nworst median: {worst:.1f} ms (target ≤ 50 ms)")


if __name__ == "__main__":
    main(sys.argv[1:])
