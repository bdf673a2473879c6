"""The built book: builds with warnings as errors; self-contained pages whose scrubbers
work for every reader (mouse, keyboard, screen reader), in light and dark mode, on a
phone and on paper, with a silent console.

The browser tests open the pages in headless Chromium (Debian's ``chromium``; `make
test` installs it where it can), served on 127.0.0.1, and block and record every
request that would leave the machine. axe-core comes from tests/browser (pinned,
installed by `make test` with npm), loaded from disk.

LFM_BOOK_HTML=/path/to/_build/html tests that built book instead of building one
(screenshots then land beside it, in /path/to/_build/screenshots).
"""

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from book_utils.explore import PHONE_SCALE
from book_utils.plots import MIN_FONT

ROOT = Path(__file__).resolve().parent.parent
HTML = Path(os.environ.get("LFM_BOOK_HTML") or ROOT / "_build" / "html")
SHOTS = HTML.parent / "screenshots"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
MAX_PAGE_BYTES = 3_000_000
PHONE = {"width": 390, "height": 844}


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def chapters() -> list[str]:
    return [f for f in toc_files() if f.startswith("chapters/")]


def book_pages() -> list[str]:
    """Every page of the book: the landing page, then the table of contents."""
    return [yaml.safe_load((ROOT / "_toc.yml").read_text())["root"], *toc_files()]


@pytest.fixture(scope="session")
def book():
    """Build the whole book once, exactly as `make book` does."""
    if os.environ.get("LFM_BOOK_HTML"):
        assert (HTML / "index.html").exists(), f"LFM_BOOK_HTML: no book in {HTML}"
        return HTML
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return HTML


def page_file(book, name: str) -> Path:
    return book / f"{name}.html"


def test_toc_lists_only_pages_that_exist_in_seed_order():
    files = chapters()
    assert files, "the table of contents is empty"
    for f in toc_files():
        assert (ROOT / f"{f}.ipynb").exists() or (ROOT / f"{f}.md").exists(), f
    numbers = [int(Path(f).name[:2]) for f in files]
    assert numbers == sorted(numbers), "chapters must follow the seeds' order"


def test_every_chapter_page_is_built_and_small(book):
    for name in chapters():
        page = page_file(book, name)
        assert page.exists(), page
        assert page.stat().st_size <= MAX_PAGE_BYTES, (
            f"{page.name}: {page.stat().st_size / 1e6:.2f} MB"
        )


def network_resources(html: str) -> list[str]:
    """Every URL a browser would fetch on its own from another host (links don't count)."""
    soup = BeautifulSoup(html, "html.parser")
    tags = soup.find_all(["script", "img", "iframe", "source", "audio", "video"])
    urls = [t.get("src") for t in tags]
    rels = {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}
    urls += [
        t.get("href") for t in soup.find_all("link") if rels & set(t.get("rel") or [])
    ]
    return [u for u in urls if u and re.match(r"^(https?:)?//", u)]


def test_no_page_loads_anything_from_the_network(book):
    for name in toc_files():
        text = page_file(book, name).read_text()
        assert network_resources(text) == [], f"{name} loads {network_resources(text)}"
        assert "embed-amd.js" not in text and "require.min.js" not in text, (
            f"{name}: widgets"
        )
        assert "THEBE_JS_URL" not in text, f"{name} still carries Thebe's scripts"
        assert "widget-state+json" not in text, f"{name} carries unused widget state"
    assert (book / "_static" / "mathjax" / "tex-chtml.js").exists(), (
        "MathJax is not served"
    )


def test_the_resource_check_can_fail():
    html = '<script src="https://cdn.example/x.js"></script><a href="https://ok">'
    assert network_resources(html) == ["https://cdn.example/x.js"]


def scrubbers(page: Path):
    text = page.read_text()
    pattern = r'<figure class="lfm-explorable lfm-scrubber" id="([^"]+)" data-kind="(\w+)" data-frames="(\d+)">(.*?)</figure>'  # noqa: E501
    for fig in re.finditer(pattern, text, re.S):
        body = fig.group(4)
        grids = [
            json.loads(v.replace("&quot;", '"'))
            for v in re.findall(r'data-values="([^"]+)"', body)
        ]
        data = json.loads(
            re.search(r'class="lfm-frames">(.*?)</script>', body, re.S).group(1)
        )
        yield fig.group(1), fig.group(2), int(fig.group(3)), grids, data, body


def test_static_scrubbers_have_every_frame_and_a_description_for_each(book):
    found = 0
    for name in chapters():
        for uid, kind, n, grids, data, body in scrubbers(page_file(book, name)):
            found += 1
            expected = 1
            for g in grids:
                expected *= len(g)
            assert n == expected == len(data["i"]) == len(data["d"]), (name, uid)
            assert len(data["f"]) > 1, f"{name} {uid}: all frames identical"
            if kind == "image":
                assert all(data["d"]), (
                    f"{name} {uid}: a frame has no description of its numbers"
                )
                assert len(set(data["d"])) > 1, (
                    f"{name} {uid}: every frame says the same"
                )
            else:
                assert "<img" not in body, f"{name} {uid}: a table drawn as a picture"
    assert found, "no scrubber in the built chapters"


# ----- what a reader reads -------------------------------------------------------------
ENGINE_NAMES = re.compile(
    r"\b(half_sse|binary_ce|softmax_ce|sse|mse|flat_names|get_flat|loss_and_gradients)\b"
    r"|\b[Wb]\d\[\d|\bTrue\b|\bFalse\b"
)
HYPHEN_MINUS = re.compile(r"(?<![\w\-−])-\d")


def prose_text(html: str) -> str:
    """The page's reading text: no code, no maths source, no scripts, no navigation."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("article.bd-article") or soup
    for tag in main.select(
        "pre, code, script, style, .math, .highlight, .cell_input, .headerlink"
    ):
        tag.decompose()
    text = main.get_text(" ")
    return re.sub(r"\\\(.*?\\\)|\$.*?\$", " ", text)  # inline maths source


@pytest.mark.parametrize("name", chapters())
def test_prose_uses_the_books_words_and_real_minus_signs(book, name):
    text = prose_text(page_file(book, name).read_text())
    assert not ENGINE_NAMES.findall(text), (
        f"{name}: engine names in the prose: {ENGINE_NAMES.findall(text)}"
    )
    bad = [
        text[max(0, m.start() - 30) : m.end() + 10] for m in HYPHEN_MINUS.finditer(text)
    ]
    assert bad == [], f"{name}: a hyphen where a minus sign belongs: {bad}"


def test_the_prose_checks_can_fail():
    html = '<article class="bd-article"><p>the (mse) is -20, <code>sse</code></p></article>'
    text = prose_text(html)
    assert ENGINE_NAMES.findall(text) and HYPHEN_MINUS.findall(text)
    assert "sse" not in prose_text(
        '<article class="bd-article"><code>sse</code></article>'
    )


# ----- in a real browser (the browser fixtures are in conftest.py) ----------------------------
class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(book):
    handler = functools.partial(QuietHandler, directory=str(book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def watch(page) -> list[str]:
    """Collect console errors, page errors and failed requests (404s) as they happen."""
    problems = []
    page.on(
        "console",
        lambda m: (
            m.type in ("error", "warning")
            and problems.append(f"console {m.type}: {m.text}")
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
    )
    return problems


def axe(page) -> list[str]:
    """Serious and critical axe-core violations on the page, one line each."""
    if not AXE.exists():
        pytest.skip(
            "axe-core is not installed: run `npm ci --prefix tests/browser` (make test does)"
        )
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document)).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(' | '))""")
    return found


def open_in_mode(open_page, url, mode, viewport=None):
    """Open ``url`` in the theme's ``mode`` once the page has settled: every script run,
    the colour mode applied, and no CSS transition half-way (axe reads final colours)."""
    page, outside = open_page(url, mode=mode, viewport=viewport)
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                               "animation: none !important; }")  # fmt: skip
    page.wait_for_function(
        "mode => document.readyState === 'complete'"
        " && document.documentElement.dataset.theme === mode",
        arg=mode,
    )
    page.wait_for_timeout(500)  # the book's and the theme's load-time scripts
    # MathJax typesets after load and moves everything below each equation: a click
    # aimed at a slider before it has finished lands on whatever moved there.
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
        " await MathJax.startup.promise; }"
    )
    return page, outside


@pytest.mark.parametrize("name", toc_files())
def test_page_in_chromium_light_mode(open_page, server, name):
    """Math typesets, scrubbers answer mouse, keyboard and toggles, sliders tell screen
    readers their values, nothing overflows the column, axe finds nothing serious, and
    the console stays silent."""
    page, outside = open_in_mode(open_page, f"{server}/{name}.html", "light")
    problems = page.problems
    page.wait_for_function(
        "document.querySelectorAll('mjx-container').length > 0", timeout=20000
    )
    assert page.locator("text=Math input error").count() == 0
    if name.startswith("chapters/"):
        assert page.locator("mjx-container").count() > 5
        check_scrubbers(page, name)
        check_nothing_overflows_the_column(page, name)
    assert axe(page) == [], f"{name} (light): {axe(page)}"
    low = caption_contrast(page)
    assert low == [], f"{name} (light): captions below 4.5:1: {low}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{Path(name).name}.png"), full_page=True)
    assert problems == [], f"{name}: {problems}"
    assert outside == [], f"{name} tried to reach {outside}"


def check_scrubbers(page, name):
    """Every slider of every scrubber answers the mouse and the keyboard and tells a
    screen reader its value; every toggle changes the frame; an image frame's alt
    text carries the numbers of its description."""
    figures = page.locator("figure.lfm-scrubber")
    assert figures.count() >= 1, f"{name} has no scrubber"
    for i in range(figures.count()):
        fig = figures.nth(i)
        # a scrubber in a collapsed "Going deeper" block: open it, as a reader would
        fig.evaluate(
            "e => { for (let d = e.closest('details'); d; d = d.parentElement"
            ".closest('details')) d.open = true; }"
        )
        fig.scroll_into_view_if_needed()
        frame = lambda fig=fig: fig.get_attribute("data-frame")  # noqa: E731
        said = fig.locator(".lfm-desc")
        sliders = fig.locator("input[type=range]")
        for k in range(sliders.count()):
            slider = sliders.nth(k)
            box = slider.bounding_box()
            before = frame()
            # a real mouse click at the track's ends; Playwright first waits until the
            # slider has stopped moving (late typesetting above it shifts the page) and
            # nothing else covers the point
            ends = [box["width"] - 2, 2]
            slider.click(position={"x": ends[0], "y": box["height"] / 2})
            if frame() == before:  # it already sat at the far end: go to the other one
                slider.click(position={"x": ends[1], "y": box["height"] / 2})
            where = f"{name}: scrubber {i}, slider {k}"
            assert frame() != before, f"{where} did not change its frame"
            shown = slider.evaluate("e => e.nextElementSibling.textContent")
            label = slider.get_attribute("data-label")
            assert slider.get_attribute("aria-valuetext") == f"{label} = {shown}", (
                f"{where} does not tell a screen reader its value"
            )
            after = frame()
            slider.focus()
            page.keyboard.press(
                "ArrowLeft" if slider.input_value() != "0" else "ArrowRight"
            )
            assert frame() != after, f"{where} ignores the keyboard"
        if fig.get_attribute("data-kind") == "image":
            img = fig.locator(".lfm-view img")
            assert said.text_content() and said.text_content() in img.get_attribute(
                "alt"
            ), f"{name}: scrubber {i}: the frame's alt text lacks its numbers"
        radios = fig.locator("input[type=radio]")
        for k in range(radios.count()):
            if radios.nth(k).is_checked():
                continue
            now = frame()
            radios.nth(k).check()
            assert frame() != now, f"{name}: scrubber {i} ignores its toggle"


def check_nothing_overflows_the_column(page, name):
    """Code cells a learner reads and display equations fit the text column."""
    wide = page.evaluate("""() => {
        const out = [];
        const visible = e => e.offsetParent !== null;
        document.querySelectorAll('.cell:not(.tag_hide-input) .cell_input pre, '
                                  + 'mjx-container[display="true"]')
          .forEach(e => { if (visible(e) && e.scrollWidth > e.clientWidth + 1)
              out.push(e.tagName + ': ' + e.textContent.slice(0, 60)); });
        return out; }""")
    assert wide == [], f"{name}: wider than the column: {wide}"


@pytest.mark.parametrize("name", toc_files())
def test_page_in_chromium_dark_mode(open_page, server, name):
    """The theme's dark mode: no glaring panel, captions readable, axe clean."""
    page, _ = open_in_mode(open_page, f"{server}/{name}.html", "dark")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert axe(page) == [], f"{name} (dark): {axe(page)}"
    low = caption_contrast(page)
    assert low == [], f"{name} (dark): captions below 4.5:1: {low}"
    grey = page.evaluate("""() => Array.from(document.querySelectorAll('.cell_output .text_html'))
        .filter(e => e.querySelector('.lfm-explorable, .lfm-table'))
        .map(e => getComputedStyle(e).backgroundColor)
        .filter(c => c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent')""")
    assert grey == [], f"{name}: the theme's grey output panel is back: {grey}"
    dimmed = page.evaluate("""() => Array.from(document.querySelectorAll('.lfm-view img'))
        .map(i => getComputedStyle(i).filter).filter(f => f !== 'none')""")
    assert dimmed == [], f"{name}: frames are dimmed in dark mode: {dimmed}"
    unlike = page.evaluate("""async () => { await (window.lfmMathSettled || Object)();
        const text = getComputedStyle(document.querySelector('article.bd-article')).color;
        return Array.from(document.querySelectorAll('mjx-container[display="true"]'))
            .map(c => getComputedStyle(c).color).filter(c => c !== text); }""")
    assert unlike == [], f"{name}: equations not drawn in the text's colour: {unlike}"
    if name.startswith("chapters/"):
        page.screenshot(path=str(SHOTS / f"{Path(name).name}-dark.png"), full_page=True)
    assert page.problems == [], f"{name}: {page.problems}"


def caption_contrast(page) -> list[str]:
    """Contrast of every caption, description and note against its painted background."""
    return page.evaluate("""() => {
        const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
        const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const bg = e => { for (; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c; }
            return [255, 255, 255]; };
        const out = [];
        document.querySelectorAll('figcaption, table caption, .lfm-desc, .lfm-fixed, '
                                  + '.lfm-control output')
          .forEach(e => { if (!e.textContent.trim() || e.offsetParent === null) return;
            const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) out.push(e.textContent.slice(0, 40) + ': ' + ratio.toFixed(2)); });
        return out; }""")


@pytest.mark.parametrize("name", chapters())
def test_page_on_a_phone(open_page, server, name):
    """390 px wide: the page never scrolls sideways, controls wrap, tables fit, and a
    figure keeps its text legible (it pans sideways inside its own box instead)."""
    page, _ = open_in_mode(open_page, f"{server}/{name}.html", "light", viewport=PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    over = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.lfm-controls, .lfm-control, table.lfm-table, .lfm-desc, figcaption'))
        .filter(e => e.offsetParent !== null && e.clientWidth > 1)  // not the screen-reader-only
        .filter(e => e.scrollWidth > e.clientWidth + 1)
        .map(e => e.className + ': ' + e.textContent.slice(0, 40))""")
    assert over == [], f"{name}: overflows at phone width: {over}"
    scales = page.evaluate("""() => Array.from(document.querySelectorAll('.lfm-view img'))
        .map(i => i.getBoundingClientRect().width / i.naturalWidth)""")
    smallest_px = MIN_FONT * 100 / 72 * min(scales)
    assert smallest_px >= 9.0, (
        f"{name}: figure text shrinks to {smallest_px:.1f} px on a phone"
    )
    assert min(scales) >= PHONE_SCALE - 0.01
    page.screenshot(path=str(SHOTS / f"{Path(name).name}-phone.png"), full_page=True)


@pytest.mark.parametrize("name", chapters())
def test_page_in_print(open_page, server, name):
    """On paper: no dead controls, figures whole, code and maths wrapped, not cut."""
    page, _ = open_in_mode(open_page, f"{server}/{name}.html", "light")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => Array.from(
        document.querySelectorAll('.lfm-controls, .lfm-fixed'))
        .filter(e => getComputedStyle(e).display !== 'none').length""")
    assert shown == 0, f"{name}: controls print as dead widgets"
    breaks = page.evaluate("""() => Array.from(document.querySelectorAll('figure.lfm-explorable'))
        .map(f => getComputedStyle(f).breakInside)""")
    assert set(breaks) == {"avoid"}, (
        f"{name}: a figure may split across pages: {breaks}"
    )
    cut = page.evaluate("""() => Array.from(document.querySelectorAll('.cell_input pre'))
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).length""")
    assert cut == 0, f"{name}: code is cut off in print"
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


# ----- display equations on a phone ------------------------------------------------------
CUT_EQUATIONS = """async () => {
    // What a reader can open is measured too: open every dropdown, then let MathJax (and
    // book.js, which re-breaks the equations of a dropdown as it opens) finish.
    document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; });
    const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)));
    await frame();
    if (window.lfmMathSettled) await window.lfmMathSettled();
    else if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
    await frame();
    const tex = new Map();  // each equation's TeX, to name it
    try { for (const m of MathJax.startup.document.math) tex.set(m.typesetRoot, m.math); }
    catch (e) { /* no MathJax: the text will do */ }
    const px = (e, p) => parseFloat(getComputedStyle(e)[p]) || 0;
    const clipped = e => getComputedStyle(e).overflowX !== 'visible';
    const inner = e => { const r = e.getBoundingClientRect();  // padding box
        const left = r.left + px(e, 'borderLeftWidth');
        return {left, right: left + e.clientWidth}; };
    const content = e => { const b = inner(e);
        return {left: b.left + px(e, 'paddingLeft'), right: b.right - px(e, 'paddingRight')}; };
    // the ink: every glyph and rule MathJax drew (its hidden MathML copy aside)
    const ink = math => Array.from(math.querySelectorAll('*'))
        .filter(e => e.children.length === 0 && !e.closest('mjx-assistive-mml'))
        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)
        .reduce((u, r) => u ? {left: Math.min(u.left, r.left), right: Math.max(u.right, r.right),
                               top: Math.min(u.top, r.top), bottom: Math.max(u.bottom, r.bottom)}
                            : {left: r.left, right: r.right, top: r.top, bottom: r.bottom}, null);
    const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
    const all = Array.from(document.querySelectorAll('mjx-container[display="true"]'))
        .filter(c => c.offsetParent !== null);
    const cut = [];
    for (const c of all) {
        const math = c.querySelector('mjx-math');
        const box = math && ink(math);
        if (!box) continue;
        const column = c.closest('article.bd-article') || document.body;
        const col = content(column);
        const why = [];
        if (box.right > col.right + 1 || box.left < col.left - 1) why.push('past the column');
        for (let e = c; e && e !== column.parentElement; e = e.parentElement) {
            if (!clipped(e)) continue;
            if (e.scrollWidth > e.clientWidth + 1) {
                why.push('scrolls sideways inside <' + e.tagName.toLowerCase() + '>'); break; }
            const b = inner(e);
            if (e !== column && (box.right > b.right + 1 || box.left < b.left - 1)) {
                why.push('cut off by <' + e.tagName.toLowerCase() + '>'); break; }
        }
        const block = c.closest('div.math');
        const eqno = block && block.querySelector(':scope > .eqno');
        if (eqno) {
            const n = eqno.getBoundingClientRect(), label = eqno.firstChild.textContent.trim();
            if (meet(n, box)) why.push('under its number ' + label);
            if (n.right > col.right + 1) why.push('its number ' + label + ' past the column');
        }
        if (why.length) {
            const what = (tex.get(c) || c.textContent).replace(/\\s+/g, ' ').trim();
            cut.push(why.join(', ') + ': ' + what.slice(0, 100));
        }
    }
    return {cut, total: all.length};
}"""


def cut_equations(page) -> dict:
    """{"cut": [one line per display equation a reader cannot see whole], "total": n}.

    Every dropdown is opened first. An equation is cut when what MathJax drew runs past
    the text column, or past a box that clips it, or scrolls sideways inside its box, or
    lies under its equation number (Sphinx's ``span.eqno``, beside the maths)."""
    return page.evaluate(CUT_EQUATIONS)


def test_every_display_equation_fits_a_phone(open_page, server):
    """At a true 390 px viewport, on every page of the book (dropdowns open), every
    display equation fits the column, whole, without scrolling, clear of its number."""
    cut, total = [], 0
    for name in book_pages():
        page, _ = open_in_mode(
            open_page, f"{server}/{name}.html", "light", viewport=PHONE
        )
        found = cut_equations(page)
        total += found["total"]
        cut += [f"{name}: {c}" for c in found["cut"]]
        assert page.problems == [], f"{name}: {page.problems}"
        page.close()
    assert total > 0, "no display equation found in the book"
    assert cut == [], (
        f"{len(cut)} of {total} display equations are cut on a phone:\\n"
        + ("\\n".join(cut))
    )


@pytest.fixture(scope="session")
def mathjax_site(tmp_path_factory):
    """A tiny site served on 127.0.0.1 with the book's MathJax (laid out by the book's
    own extension), book.css and book.js: pages for the equation checks, no build."""
    sys.path.insert(0, str(ROOT / "_ext"))
    import lfm_build

    if not (lfm_build.NODE_MODULES / "mathjax" / "tex-chtml.js").exists():
        pytest.skip(
            "MathJax 4 is not installed: run `npm ci --prefix _ext` (make does)"
        )
    site = tmp_path_factory.mktemp("mathjax_site")
    app = type(
        "App", (), {"outdir": str(site), "builder": type("B", (), {"format": "html"})}
    )
    lfm_build._copy_mathjax(app, None)
    for name in ("book.css", "book.js"):
        (site / "_static" / name).write_bytes((ROOT / "_static" / name).read_bytes())
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# 24 terms, too long for any phone
LONG_TEX = " + ".join(f"w_{{{k}}} x_{{{k}}}" for k in range(1, 25))


def equation_page(site, name, body, overflow="linebreak", book_files=True) -> str:
    """Write a page like Sphinx's: the book's MathJax settings (_config.yml), with
    ``output.displayOverflow`` as given, and the book's CSS and JS if ``book_files``."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    settings = json.loads(json.dumps(config["mathjax3_config"]))
    settings.setdefault("output", {})["displayOverflow"] = overflow
    # in Sphinx's order: the settings, MathJax (deferred), then the book's own JS
    css = '<link rel="stylesheet" href="_static/book.css">' if book_files else ""
    js = '<script src="_static/book.js"></script>' if book_files else ""
    (site / f"{name}.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{name}</title>{css}
        <script>window.MathJax = {json.dumps(settings)}</script>
        <script defer src="_static/{config["mathjax_path"]}"></script>{js}</head>
        <body style="margin: 0"><article class="bd-article" style="padding: 0 16px">
        {body}</article></body></html>"""
    )
    return f"{name}.html"


def test_the_equation_check_can_fail(open_page, mathjax_site):
    """MathJax's default (no line breaks): the check sees a long equation run past the
    column, another scroll inside its box, and a number on top of an equation; it
    leaves a short one alone."""
    site, url = mathjax_site
    body = rf"""
        <div class="math" style="overflow: visible">\[ {LONG_TEX} \]</div>
        <div class="math" style="overflow-x: auto">\[ E = {LONG_TEX} \]</div>
        <div class="math" id="equation-a" style="position: relative">
          <span class="eqno" style="position: absolute; left: 45%; top: 1em">(1)</span>
          \[ a = \sigma(z) \]</div>
        <div class="math" id="equation-b" style="position: relative">
          <span class="eqno" style="position: absolute; right: 0">(2)</span>
          \[ E = mc^2 \]</div>"""
    name = equation_page(site, "cut", body, overflow="overflow", book_files=False)
    page, outside = open_page(f"{url}/{name}", viewport=PHONE)
    found = cut_equations(page)
    assert found["total"] == 4 and len(found["cut"]) == 3, found
    past, scrolls, under = found["cut"]
    assert past.startswith("past the column: w_{1} x_{1} + w_{2}"), past
    assert "scrolls sideways inside <div>: E = w_{1}" in scrolls, scrolls
    assert under == r"under its number (1): a = \sigma(z)", under
    assert outside == [] and page.problems == [], (outside, page.problems)


def test_the_books_settings_break_a_long_equation_on_a_phone(open_page, mathjax_site):
    """The same long equations with the book's settings, CSS and JS fit 390 px: broken
    at their + signs, clear of their number, and inside a dropdown once it is opened
    (Firefox and Safari lay a closed one out as nothing, so MathJax cannot measure it,
    and book.js typesets it again as it opens; the page does that in Chromium too)."""
    site, url = mathjax_site
    body = rf"""
        <style>details:not([open]) > .math {{ display: none }}</style>
        <div class="math">\[ {LONG_TEX} \]</div>
        <div class="math" id="equation-long"><span class="eqno">(1)<a class="headerlink"
          href="#equation-long" title="Link to this equation">#</a></span>\[ E = {LONG_TEX} \]</div>
        <details><summary>Going deeper</summary>
          <div class="math">\[ L = {LONG_TEX} \]</div></details>"""
    name = equation_page(site, "fits", body)
    page, outside = open_page(f"{url}/{name}", viewport=PHONE)
    found = cut_equations(page)
    assert found == {"cut": [], "total": 3}, found
    lines = page.evaluate("""() => Array.from(document.querySelectorAll('mjx-container'))
        .map(c => c.querySelectorAll('mjx-linebox').length)""")
    assert min(lines) >= 3, f"lines of each equation: {lines}"
    assert outside == [] and page.problems == [], (outside, page.problems)
