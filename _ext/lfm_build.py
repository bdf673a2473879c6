"""Sphinx extension of Learning from Mistakes: what the book's build adds to Jupyter Book.

1. Static frames while the book builds. Each explorable shows live sliders in
   Jupyter and a precomputed scrubber in the HTML book. Drawing every scrubber
   frame takes seconds that a Jupyter reader should never wait for, so
   ``book_utils.explore`` draws them only when ``LFM_STATIC_FRAMES=1``. This
   extension sets it in the Sphinx process; MyST-NB starts the notebooks' kernels
   with a copy of this environment, so every build gets its scrubbers, whether it
   is run by ``make book`` or by ``jupyter-book build .`` by hand.
2. No Thebe scripts. Jupyter Book always loads sphinx-thebe, which adds its
   configuration script to every page twice ("Identifier 'THEBE_JS_URL' has
   already been declared") even with the launch button off. The book does not
   use Thebe (see _config.yml), so its scripts are dropped from every page.
3. No widget state. MyST-NB embeds the executed notebook's ipywidgets state (for
   the book, the first picture of every live figure again, 0.2–0.5 MB a page) so
   that widget scripts could redraw it; the book loads no widget scripts and shows
   the static scrubbers instead, so the state is dropped too.
4. MathJax 4, served from the book. MathJax 4 breaks a display equation that is
   wider than its column at a relation or an operator (``displayOverflow:
   linebreak`` in _config.yml), so every equation fits a phone. npm installs it,
   pinned, into _ext/node_modules (``npm ci --prefix _ext``; ``make book`` does);
   this extension copies what a browser loads (the TeX-to-HTML component, the
   pieces it loads later, and the New Computer Modern fonts) into the book's
   _static/mathjax, with MathJax's licence (Apache 2.0) and package files.
"""

import os
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _drop_unused_scripts(app, pagename, templatename, context, doctree):
    def unused(script) -> bool:
        name = str(getattr(script, "filename", script) or "")
        attributes = getattr(script, "attributes", {})
        body = str(attributes.get("body", ""))
        thebe = "thebe" in name.lower() or "THEBE" in body
        return thebe or attributes.get("type") == WIDGET_STATE

    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not unused(s)]


NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
# (package, what of it a browser loads, where in the book's _static it goes)
MATHJAX_FILES = [
    ("mathjax", ["LICENSE", "package.json", "tex-chtml.js", "a11y", "input", "output",
                 "sre", "ui"], "mathjax"),
    ("@mathjax/mathjax-newcm-font", ["package.json", "chtml"],
     "mathjax/fonts/mathjax-newcm-font"),  # loader.paths.fonts in _config.yml
]  # fmt: skip


def _check_mathjax(app):
    missing = [
        str(NODE_MODULES / package / name)
        for package, names, _ in MATHJAX_FILES
        for name in names
        if not (NODE_MODULES / package / name).exists()
    ]
    if missing and app.builder.format == "html":
        raise ExtensionError(
            "MathJax 4 is not installed (missing "
            + ", ".join(missing[:3])
            + "): run `npm ci --prefix _ext` (make book does), then build again"
        )


def _copy_mathjax(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    # no file of an older MathJax is left beside this one
    shutil.rmtree(static / "mathjax", ignore_errors=True)
    for package, names, target in MATHJAX_FILES:
        for name in names:
            source, dest = NODE_MODULES / package / name, static / target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, dest, dirs_exist_ok=True)
            else:
                shutil.copyfile(source, dest)


def setup(app):
    os.environ["LFM_STATIC_FRAMES"] = "1"
    app.connect("html-page-context", _drop_unused_scripts)
    app.connect("builder-inited", _check_mathjax)
    app.connect("build-finished", _copy_mathjax)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
