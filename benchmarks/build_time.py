"""Time a clean build of the whole book and report each chapter page's size.

    .venv/bin/python benchmarks/build_time.py
Target (DESIGN.md): about two minutes for the build; each chapter page ≤ 3 MB.
"""

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(ROOT),
            "--all",
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    print(f"build {'ok' if proc.returncode == 0 else 'FAILED'} in {elapsed:.1f} s")
    for page in sorted((ROOT / "_build/html/chapters").glob("*.html")):
        print(f"  {page.name:32s} {page.stat().st_size / 1e6:5.2f} MB")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
