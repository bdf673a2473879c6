"""Shared fixtures: headless Chromium (Debian's package) with every outside request blocked."""

import os
import shutil

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.pop(
    "LFM_STATIC_FRAMES", None
)  # tests see what a Jupyter reader sees, unless they ask


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="session")
def browser():
    exe = chromium_path()
    if exe is None:
        pytest.skip(
            "Debian's chromium is not installed and could not be installed here "
            "(needs root or sudo for apt-get): `sudo apt-get install chromium`, then rerun"
        )
    from playwright.sync_api import sync_playwright

    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync"]  # fmt: skip
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=flags)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """open_page(url, mode=None, viewport=None) -> (page, outside).

    Requests off 127.0.0.1 are blocked and listed in ``outside``; console errors and
    warnings, page errors and failed responses are collected in ``page.problems``
    from the first request on. ``mode`` ("light"/"dark") is the theme's colour mode.
    """
    from test_book import watch

    pages = []

    def open_(url, wait_until="networkidle", mode=None, viewport=None):
        page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
        pages.append(page)
        outside = []
        page.problems = watch(page)
        if mode:
            page.add_init_script(
                f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"
            )

        def guard(route):
            u = route.request.url
            if u.startswith(
                ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
            ):
                route.continue_()
            else:
                outside.append(u)
                route.abort()

        page.route("**/*", guard)
        page.goto(url, wait_until=wait_until)
        return page, outside

    yield open_
    for page in pages:
        page.close()
