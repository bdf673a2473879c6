"""Binder gets what the tests test: the same Python, the same pins, one clean install.

repo2docker installs runtime.txt's Python, then requirements.txt, then `pip install .`
(pyproject.toml has [project] and [build-system]), then runs postBuild if present.
These checks need no network and no docker.
"""

import ast
import importlib.metadata as md
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
LAB_PACKAGES = ("jupyterlab", "notebook", "jupyterlab-myst")


def pins() -> dict[str, str]:
    """requirements.txt as {name: exact version}; every line must be an exact pin."""
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"requirements.txt pins exactly: {line}"
            out[canonical(req.name)] = spec.version
    return out


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_runtime_and_requires_python_agree():
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    version = runtime.removeprefix("python-")
    assert SpecifierSet(pyproject()["project"]["requires-python"]).contains(
        version + ".0"
    )
    makefile = (ROOT / "Makefile").read_text()
    assert f"PYTHON ?= python{version}" in makefile, "make uses the Python Binder uses"
    assert sys.version_info[:2] == tuple(int(v) for v in version.split(".")), (
        "the tests run on another Python than Binder's"
    )


def test_binder_serves_the_jupyterlab_the_tests_run():
    required = pins()
    for name in LAB_PACKAGES:
        assert name in required, (
            f"requirements.txt must pin {name} (Binder's base has its own)"
        )
        assert md.version(name) == required[name], (
            f"installed {name} differs from the pin"
        )
    extras = pyproject()["project"]["optional-dependencies"]
    for extra, reqs in extras.items():
        for req in map(Requirement, reqs):
            assert canonical(req.name) not in required, (
                f"[{extra}] pins {req.name} again: keep one list of pins (requirements.txt)"
            )
    # notebook 7.4.x (Binder's base) needs jupyterlab < 4.5: the two pins must fit together
    needs = [Requirement(r) for r in md.requires("notebook") or []]
    lab = next(r for r in needs if canonical(r.name) == "jupyterlab")
    assert lab.specifier.contains(required["jupyterlab"]), (lab, required["jupyterlab"])


def imported_modules() -> set[str]:
    sources = [p.read_text() for p in (ROOT / "book_utils").rglob("*.py")]
    for nb in (ROOT / "chapters").glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        sources += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    names = set()
    for src in sources:
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"book_utils"}


def closure(names) -> set[str]:
    """Every distribution that installing ``names`` brings in (markers evaluated)."""
    seen, todo = set(), [canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for r in md.requires(name) or []:
            req = Requirement(r)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonical(req.name))
    return seen


def test_everything_the_book_imports_is_installed_by_requirements():
    installed = closure(pins())
    providers = md.packages_distributions()
    missing = {}
    for module in sorted(imported_modules()):
        dists = {canonical(d) for d in providers.get(module, [])}
        if not dists & installed:
            missing[module] = sorted(dists) or ["(not installed at all)"]
    assert missing == {}, f"imported but not installed on Binder: {missing}"


def test_the_engine_is_installed_once_and_leaves_nothing_in_the_tree(tmp_path):
    """`pip install .` (what repo2docker runs) must not leave build/ in the file browser,
    and no postBuild installs the engine a second time."""
    assert (
        not (ROOT / "postBuild").exists()
        or "pip install" not in (ROOT / "postBuild").read_text()
    )
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "book_utils", src / "book_utils",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    before = set(p.name for p in src.iterdir())
    out = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--target", str(tmp_path / "site"), str(src)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert set(p.name for p in src.iterdir()) == before, (
        "the install left files in the tree"
    )
    assert (tmp_path / "site" / "book_utils" / "network.py").exists()


def test_the_rocket_button_names_one_repository_and_the_readme_says_so():
    config = (ROOT / "_config.yml").read_text()
    assert len(re.findall(r"^\s+url:", config, re.M)) == 1, "one repository setting"
    readme = (ROOT / "README.md").read_text()
    assert "Before publishing" in readme and "repository.url" in readme
