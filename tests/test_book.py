"""The built book: builds with warnings as errors, self-contained pages, scrubbers that work.

The browser tests open the pages in headless Chromium (Debian's ``chromium``; `make test`
installs it where it can), served on 127.0.0.1, and block and record every request
that would leave the machine.
"""

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
MAX_PAGE_BYTES = 3_000_000


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


@pytest.fixture(scope="session")
def book():
    """Build the whole book once, exactly as `make book` does."""
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return HTML


def pages(book):
    return [book / f"{f}.html" for f in toc_files()]


def test_toc_lists_only_pages_that_exist_in_seed_order():
    files = toc_files()
    assert files, "the table of contents is empty"
    for f in files:
        assert (ROOT / f"{f}.ipynb").exists() or (ROOT / f"{f}.md").exists(), f
    numbers = [int(Path(f).name[:2]) for f in files]
    assert numbers == sorted(numbers), "chapters must follow the seeds' order"


def test_every_chapter_page_is_built_and_small(book):
    for page in pages(book):
        assert page.exists(), page
        assert page.stat().st_size <= MAX_PAGE_BYTES, (
            f"{page.name}: {page.stat().st_size / 1e6:.2f} MB"
        )


def network_resources(html: str) -> list[str]:
    """Every URL a browser would fetch on its own from another host (links to click don't count)."""
    soup = BeautifulSoup(html, "html.parser")
    urls = [
        t.get("src")
        for t in soup.find_all(["script", "img", "iframe", "source", "audio", "video"])
    ]
    urls += [
        t.get("href")
        for t in soup.find_all("link")
        if {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}
        & set(t.get("rel") or [])
    ]
    return [u for u in urls if u and re.match(r"^(https?:)?//", u)]


def test_no_page_loads_anything_from_the_network(book):
    for page in [book / "intro.html", *pages(book)]:
        text = page.read_text()
        assert network_resources(text) == [], (
            f"{page.name} loads {network_resources(text)}"
        )
        assert "embed-amd.js" not in text and "require.min.js" not in text, (
            f"{page.name} loads widget scripts"
        )
    assert (book / "_static" / "mathjax" / "tex-chtml.js").exists(), (
        "MathJax is not served by the book"
    )


def test_the_resource_check_can_fail():
    assert network_resources(
        '<script src="https://cdn.example/x.js"></script><a href="https://ok">'
    ) == ["https://cdn.example/x.js"]


def scrubbers(page: Path):
    text = page.read_text()
    for fig in re.finditer(
        r'<figure class="lfm-scrubber" id="([^"]+)" data-frames="(\d+)">(.*?)</figure>',
        text,
        re.S,
    ):
        grids = [
            json.loads(v.replace("&quot;", '"'))
            for v in re.findall(r'data-values="([^"]+)"', fig.group(3))
        ]
        frames = json.loads(
            re.search(r'class="lfm-frames">(.*?)</script>', fig.group(3), re.S).group(1)
        )
        yield fig.group(1), int(fig.group(2)), grids, frames


def test_static_scrubbers_have_every_frame(book):
    found = 0
    for page in pages(book):
        for uid, n, grids, frames in scrubbers(page):
            found += 1
            expected = 1
            for g in grids:
                expected *= len(g)
            assert n == expected == len(frames), (
                page.name,
                uid,
                n,
                expected,
                len(frames),
            )
            assert len(set(frames)) > 1, f"{page.name} {uid}: all frames identical"
    assert found, "no scrubber in the built chapters"


# ----- in a real browser (the browser fixtures are in conftest.py) ----------------------------
@pytest.fixture(scope="session")
def server(book):
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(book)
    )
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("chapter", toc_files())
def test_page_in_chromium_typesets_math_and_scrubbers_respond(
    open_page, server, chapter
):
    page, outside = open_page(f"{server}/{chapter}.html")
    page.wait_for_function(
        "document.querySelectorAll('mjx-container').length > 0", timeout=20000
    )
    assert page.locator("mjx-container").count() > 5
    assert page.locator("text=Math input error").count() == 0
    figures = page.locator("figure.lfm-scrubber")
    assert figures.count() >= 1
    for i in range(figures.count()):
        fig = figures.nth(i)
        fig.scroll_into_view_if_needed()
        img = fig.locator("img")
        before = img.get_attribute("src")
        slider = fig.locator("input[type=range]").first
        box = slider.bounding_box()
        page.mouse.click(
            box["x"] + box["width"] - 2, box["y"] + box["height"] / 2
        )  # drag to the far end
        after = img.get_attribute("src")
        if (
            after == before
        ):  # the default already sat at the far end: go to the other one
            page.mouse.click(box["x"] + 2, box["y"] + box["height"] / 2)
            after = img.get_attribute("src")
        assert after != before, f"{chapter}: scrubber {i} did not change its frame"
        slider.focus()
        page.keyboard.press(
            "ArrowLeft" if slider.input_value() != "0" else "ArrowRight"
        )
        assert img.get_attribute("src") != after, (
            f"{chapter}: scrubber {i} ignores the keyboard"
        )
        radios = fig.locator("input[type=radio]:not(:checked)")
        if radios.count():
            shown = img.get_attribute("src")
            radios.first.check()
            assert img.get_attribute("src") != shown, (
                f"{chapter}: scrubber {i} ignores its toggle"
            )
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{Path(chapter).name}.png"), full_page=True)
    assert outside == [], f"{chapter} tried to reach {outside}"
