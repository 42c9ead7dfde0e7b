"""Shared fixtures: a throw-away copy of the project, a built site, a local server, a browser."""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("content", "geo", "templates", "site_src", "mkdocs.yml")
CHROMIUM = "/usr/bin/chromium"
BROWSER_TIMEOUT_MS = 90_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def copy_project(target: Path) -> Path:
    """A private copy of the project's inputs, so tests may break them freely."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("sources"))
            if part == "content":
                shutil.copytree(source / "sources", target / part / "sources")
        else:
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled content built once per test session."""
    from builder.site import build_site

    out = tmp_path_factory.mktemp("built") / "site"
    build_site(ROOT, out)
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


class QuietServer(ThreadingHTTPServer):
    """A local server that does not print a traceback when the browser hangs up mid-response."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run `make browser` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        new_context = chromium.new_context

        def patient_context(*args, **kwargs):
            # Tests wait for states, not for time; a generous ceiling keeps a loaded CI machine
            # (two workers, builds and a wheel install beside the browsers) from failing them.
            context = new_context(*args, **kwargs)
            context.set_default_timeout(BROWSER_TIMEOUT_MS)
            return context

        chromium.new_context = patient_context
        yield chromium
        chromium.close()


LEAFLET_MAP = "Object.values(window).find(v => v && v._container && v.getZoom)"
"""JS expression for the page's Leaflet map object (Folium assigns it to a global variable)."""


def open_popup(page, feature_id: str) -> None:
    """Open a feature's popup as a click on it would, and wait until the map has stopped moving.

    Leaflet pans the map so an opened popup fits (an animation of a few frames); a click on the
    popup's link while it still moves can land beside it on a slow machine.
    """
    page.evaluate(
        "(id) => new Promise(resolve => { const map = " + LEAFLET_MAP + """; let done = false;
        map.eachLayer(l => { if (!done && l.feature && l.feature.properties.id === id && l.getPopup()) {
          l.fire('click', {latlng: l.getBounds ? l.getBounds().getCenter() : l.getLatLng()}); done = true; } });
        if (!done) throw new Error('no feature ' + id + ' with a popup');
        if (map._panAnim && map._panAnim._inProgress) map.once('moveend', () => resolve()); else resolve(); })""",
        feature_id,
    )
    page.locator(".leaflet-popup-content .atlas-popup").wait_for()


class PageWatch:
    """Records console errors, page errors and every request that leaves 127.0.0.1."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("requestfailed", self._failed)
        page.on("request", self._request)

    def _failed(self, request):
        # A request the page itself gave up when it navigated away (net::ERR_ABORTED) is not an error.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _request(self, request):
        url = request.url
        if not (url.startswith("http://127.0.0.1:") or url.startswith("data:") or url.startswith("blob:")):
            self.foreign.append(url)


def watched_pages(browser, locale: str = "zh-CN", width: int = 1280, height: int = 900):
    """A fresh page whose errors and foreign requests are recorded (`page.watch`); closed after use."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, is_mobile=width < 600)
    page = context.new_page()
    page.watch = PageWatch(page)
    yield page
    context.close()


@pytest.fixture
def page(browser):
    yield from watched_pages(browser)
