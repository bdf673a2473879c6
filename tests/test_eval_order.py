"""Every {eval} in a chapter's prose names a variable that a code cell above it has
already made: MyST-NB evaluates inline expressions when execution reaches the
Markdown cell, so a name made further down is a NameError in the built book (a
build warning), though the notebook itself runs without error."""

import ast
import json
import re

import pytest
from notebook_runner import chapter_paths

EVAL = re.compile(r"\{eval\}`([A-Za-z_][A-Za-z0-9_]*)")


def made_by(source: str) -> set[str]:
    """Names a code cell binds: assignments, loop targets, defs, imports."""
    lines = "\n".join(ln for ln in source.splitlines() if not ln.startswith("%"))
    names = set()
    for node in ast.walk(ast.parse(lines)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    if "globals()[" in source:  # names made in a loop, such as t1_0 … t3_4
        names.add("*globals*")
    return names


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_every_eval_is_made_before_the_prose_that_reads_it(path):
    made, early = set(), []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            made |= made_by(source)
            continue
        for name in EVAL.findall(source):
            dynamic = "*globals*" in made and re.fullmatch(r"t\d+_\d+", name)
            if name not in made and not dynamic:
                early.append(f"{cell['id']}: {name}")
    assert not early, f"{path.name}: read before it is made: {early}"
