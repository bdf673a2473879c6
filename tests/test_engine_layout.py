"""The engine's shape: layering read from the imports, a numeric core that needs NumPy
alone, one verdict on a gradient whichever table shows it, and the learner's loop
(``train_epoch``) being the loop ``train`` runs."""

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from book_utils import gradcheck, html_tables, notation, symbolic
from book_utils.examples import seed_network
from book_utils.network import Network
from book_utils.optimizers import SGD
from book_utils.training import train, train_epoch

PACKAGE = Path(__file__).resolve().parent.parent / "book_utils"
NUMERIC_CORE = [
    "network",
    "losses",
    "activations",
    "gradcheck",
    "training",
    "optimizers",
]
# the only imports allowed inside functions: heavy optional dependencies, on purpose
DEFERRED = {
    ("activations", "sympy"),
    ("losses", "sympy"),
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts) or "__init__"


def imports_of(path: Path) -> tuple[set[str], list[tuple[str, int]]]:
    """(book_utils modules imported anywhere in the file, imports made inside a function)."""
    tree = ast.parse(path.read_text())
    here = module_name(path).split(".")
    package = here[:-1] if path.name != "__init__.py" else here
    inner = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names]
                    what = node.module if isinstance(node, ast.ImportFrom) else names[0]
                    inner.append((what or "", node.lineno))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = (
                package[: len(package) - (node.level - 1)]
                if node.level > 1
                else package
            )
            if node.module:
                target = [*base, *node.module.split(".")]
                found.add(".".join(t for t in target if t != "__init__") or "__init__")
            else:  # from . import x
                for alias in node.names:
                    found.add(".".join([*base, alias.name]))
    return {f for f in found if f}, inner


def graph() -> dict[str, set[str]]:
    """book_utils module → the book_utils modules it imports (anywhere in the file)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    out = {}
    for name, path in modules.items():
        deps, _ = imports_of(path)
        edges = {d for d in deps if d in modules or d == "plots"}
        # "from .plots.style import x" runs plots/__init__ first, unless the importer
        # is inside plots itself (then the package is already being imported)
        for d in deps:
            parent = d.rsplit(".", 1)[0] if "." in d else None
            if parent and not name.startswith(parent + "."):
                edges.add(parent)
        edges.discard(name)
        out[name] = edges
    return out


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (depth-first search)."""
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path, node, nxt]
            if nxt not in state and (found := visit(nxt, [*path, node])):
                return found
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node, [])):
            return found
    return None


def test_the_engine_has_no_import_cycle():
    assert find_cycle(graph()) is None, " -> ".join(find_cycle(graph()))


def test_the_cycle_check_can_fail():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_imports_sit_at_the_top_except_heavy_ones_deferred_on_purpose():
    for path in PACKAGE.rglob("*.py"):
        _, inner = imports_of(path)
        name = module_name(path)
        for what, line in inner:
            assert (name, what) in DEFERRED, (
                f"{name}.py:{line} imports {what} inside a function"
            )


@pytest.mark.parametrize("module", NUMERIC_CORE)
def test_the_numeric_core_needs_numpy_only(module):
    code = (
        f"import sys, book_utils.{module}; "
        "print(sorted(m for m in ('sympy', 'matplotlib', 'ipywidgets', 'PIL') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"book_utils.{module} loads {out.stdout.strip()}"


CASES = [  # (analytic, numeric, value of the function): good, floor-good, suspect, wrong
    (0.5, 0.5 + 1e-9, 1.0),
    (1e-10, 3e-10, 1.0),  # relative error 0.5, but far below the noise floor
    (0.5, 0.5001, 1.0),
    (0.5, -0.5, 1.0),
]


def test_every_table_judges_a_gradient_by_the_same_verdict():
    """The same numbers through every path that builds a gradient table give the
    verdict gradcheck.verdict gives, and the HTML writer shows exactly that."""
    for a, n, value in CASES:
        floor = gradcheck.noise_floor(value)
        rel = float(gradcheck.relative_error(a, n))
        want = gradcheck.verdict(rel, abs(a - n), floor)
        label = notation.symbol("W1[0,0]", [1, 1])
        two = gradcheck.compare(["W1[0,0]"], [label], [a], [n], value)
        three = gradcheck.judge("W1[0,0]", label, a, n, floor, exact=a)
        assert two.rows[0].verdict == three.verdict == want
        page = html_tables.gradient_table_html(two)
        assert ("✔" in page) == gradcheck.passes(want)
        assert ("lfm-bad" in page) == (not gradcheck.passes(want))
    verdicts = [gradcheck.verdict(*v) for v in [(0.0, 0.0, 1.0), (0.5, 1.0, 0.0)]]
    assert verdicts == ["good", "wrong"]  # the check above can tell them apart


def test_the_three_way_check_and_the_two_way_check_agree_on_the_seed_network():
    net, X, Y = seed_network(), np.array([[1.0, 0.5, -1.0]]), np.array([[1.0]])
    three = symbolic.three_way(net, X, Y, "half_sse")
    names = net.flat_names()
    labels = [notation.symbol(n, net.sizes) for n in names]
    numeric = [r.numeric for r in three.rows]
    two = gradcheck.compare(
        names, labels, [r.backprop for r in three.rows], numeric, net.loss(X, Y)
    )
    assert three.passed and two.passed
    assert [r.verdict for r in three.rows] == [r.verdict for r in two.rows]


def test_train_runs_exactly_the_learners_epoch():
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    a = Network.random([2, 3, 1], ["tanh", "identity"], seed=1)
    b = a.copy()
    train(a, X, Y, "mse", lr=0.1, epochs=2, batch_size=3, seed=7)
    shuffle = np.random.default_rng(7)
    for _ in range(2):
        train_epoch(b, X, Y, "mse", SGD(0.1), 3, shuffle)
    assert np.array_equal(a.get_flat(), b.get_flat())
