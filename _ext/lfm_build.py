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
"""

import os

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


def setup(app):
    os.environ["LFM_STATIC_FRAMES"] = "1"
    app.connect("html-page-context", _drop_unused_scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
