"""Code that learners read and copy is formatted and lint-clean (ruff, pinned in [test]).

Covers book_utils, tests, benchmarks and the chapter notebooks; chapters/ruff.toml
wraps the chapters' code at the width of the book's text column.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).parent / "ruff"


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True)


def test_code_and_notebooks_are_formatted():
    out = ruff("format", "--check", ".")
    assert out.returncode == 0, f"run `ruff format .`:\n{out.stdout}{out.stderr}"


def test_code_and_notebooks_pass_the_linter():
    out = ruff("check", ".", "--output-format", "concise")
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_linter_covers_the_chapters_and_holds_them_to_the_column():
    listed = ruff("check", "--show-files", ".").stdout
    for folder in ("book_utils", "tests", "benchmarks", "chapters"):
        assert f"/{folder}/" in listed, f"ruff does not look at {folder}/"
    assert any(line.endswith(".ipynb") for line in listed.splitlines())
    long_line = "x = " + "1 + " * 20 + "1\n"  # 88 characters: fine in book_utils …
    probe = subprocess.run([str(RUFF), "check", "--stdin-filename", "chapters/probe.py", "-"],
                           input=long_line, cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert "E501" in probe.stdout, "… but too wide for a chapter's column"
