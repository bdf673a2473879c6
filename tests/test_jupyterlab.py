"""The same notebook cells give live sliders in JupyterLab (a real server, a real browser).

Runs copies of the chapters in a temporary folder (so autosave never writes outputs
into the repository), clicks Run All, waits for the ipywidgets explorables, drags a
slider with the keyboard and checks that the figure is redrawn by the kernel, and
that jupyterlab-myst put the kernel's numbers into the prose.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from notebook_runner import chapter_paths

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "05_update.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    for path in chapter_paths():
        shutil.copy(path, work / path.name)
    # render every cell (no virtual scrolling), so the test sees all outputs at once
    settings = work / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(work / ".config"),
        "JUPYTER_DATA_DIR": str(work / ".data"),
        "JUPYTER_RUNTIME_DIR": str(work / ".runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(work / ".settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / ".workspaces"),
    }
    cmd = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={work}",
        "--LabApp.news_url=None",
        "--allow-root",
    ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_update_chapter_has_live_sliders_in_jupyterlab(open_page, lab):
    page, _ = open_page(f"{lab}/lab/tree/{CHAPTER.name}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector(
        "text=/Python 3 \\(ipykernel\\) \\| Idle/", timeout=90_000
    )  # kernel ready
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    images = page.locator(".jupyter-widgets img")
    try:
        page.wait_for_function(  # two live figures and one live three-way table
            "document.querySelectorAll('.jupyter-widgets img').length >= 2"
            " && document.querySelectorAll('.jupyter-widgets table.lfm-gradcheck').length >= 1",
            timeout=180_000,
        )
    except Exception:
        (ROOT / "_build" / "screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(ROOT / "_build" / "screenshots" / "jupyterlab_failure.png")
        )
        raise
    assert (
        page.locator(".jupyter-widgets .widget-slider").count() >= 7
    )  # η, w; η, w₀, b₀; w, b, η
    errors = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert errors.count() == 0, errors.first.inner_text()
    figure = images.first
    figure.scroll_into_view_if_needed()
    before = figure.get_attribute("src")
    handle = page.locator(
        ".jupyter-widgets .widget-slider .noUi-handle, "
        ".jupyter-widgets .widget-slider .ui-slider-handle"
    ).first
    handle.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "src => document.querySelector('.jupyter-widgets img').src !== src",
        arg=before,
        timeout=30_000,
    )
    assert figure.get_attribute("src") != before
    # the live figure says its numbers in words too (the line under it follows the slider)
    said = page.locator(".jupyter-widgets .lfm-desc").first
    assert "one step with η" in said.inner_text()
    # jupyterlab-myst evaluated the prose's {eval} numbers in the kernel, as the book build does
    page.wait_for_selector(
        "text=The new weight is 0.77", state="attached", timeout=30_000
    )
    page.screenshot(
        path=str(ROOT / "_build" / "screenshots" / "jupyterlab_05_update.png")
    )


def run_all(page, url):
    """Open a notebook in JupyterLab, wait for its kernel, and click Run All."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector("text=/Python 3 \\(ipykernel\\) \\| Idle/", timeout=90_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_every_chapter_runs_in_jupyterlab_with_live_figures_and_numbers(
    open_page, lab, path
):
    """Run All in the JupyterLab readers get: no error or stderr output, every
    explorable live (a slider move redraws its figure), and every {eval} number
    of the prose rendered by jupyterlab-myst rather than left as source."""
    page, _ = open_page("about:blank")
    # a workspace of its own: only this notebook open (no restored tabs)
    run_all(page, f"{lab}/lab/workspaces/{path.stem}/tree/{path.name}?reset")
    page.wait_for_function(  # the last cell has run: the kernel is idle again
        "() => document.querySelectorAll('.jupyter-widgets img').length >= 1"
        " && /\\| Idle/.test(document.body.innerText)"
        " && !document.querySelector('.jp-InputArea-prompt:not(:empty)')"
        "      ?.textContent.includes('*')",
        timeout=180_000,
    )
    page.wait_for_timeout(1500)
    problems = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
        ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert problems.count() == 0, problems.first.inner_text()
    text = page.locator(".jp-Notebook").inner_text()
    assert "Traceback" not in text and "{eval}" not in text, path.name
    # one live figure with a slider of its own: move the slider, the picture follows
    box = (
        page.locator(".widget-vbox")
        .filter(has=page.locator("img"))
        .filter(has=page.locator(".widget-slider"))
        .first
    )
    figure = box.locator("img").first
    figure.scroll_into_view_if_needed()
    before = figure.get_attribute("src")
    box.locator(
        ".widget-slider .noUi-handle, .widget-slider .ui-slider-handle"
    ).first.focus()
    changed = "([el, src]) => el.src !== src"
    for key, wait in (("ArrowLeft", 15_000), ("ArrowRight", 30_000)):
        for _ in range(25 if key == "ArrowLeft" else 50):  # it may start at an end
            page.keyboard.press(key)
        try:
            page.wait_for_function(changed, arg=[figure.element_handle(), before],
                                   timeout=wait)  # fmt: skip
            break
        except Exception:
            if key == "ArrowRight":
                raise
    page.screenshot(
        path=str(ROOT / "_build" / "screenshots" / f"jupyterlab_{path.stem}.png")
    )
