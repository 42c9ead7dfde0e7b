"""Live reload for `atlas serve`: the open tab reloads after a good rebuild and shows a failed one.

The server keeps the build state: how many builds have succeeded, and the problem lines of the
last build if it failed. Pages long-poll `/__atlas__/state?after=N` and either reload (a newer
site), or show the problems in a banner over the last good page. The script is added to HTML as
it is served, never written into the site, so `atlas build` output never carries it. The script
is a file of the package (served as our own origin, so the site's CSP `script-src 'self'` holds).

Written by hand because the only maintained live-reload servers (MkDocs' own, livereload) serve a
MkDocs project directly; ours must serve the atlas's last good build while the next one runs.
"""

from __future__ import annotations

import html
import json
import os
import threading
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PREFIX = "/__atlas__/"
SCRIPT = Path(__file__).with_name("livereload.js")
POLL_SECONDS = 20  # a long poll answers at once on a change, else after this, and is asked again


class BuildState:
    """What the browser needs to know: `site` counts good builds; `version` counts every build."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.site = 0
        self.version = 0
        self.problems: list[str] = []

    def succeeded(self) -> None:
        with self._changed:
            self.site += 1
            self.version += 1
            self.problems = []
            self._changed.notify_all()

    def failed(self, problems: list[str]) -> None:
        with self._changed:
            self.version += 1
            self.problems = list(problems)
            self._changed.notify_all()

    def snapshot(self) -> dict:
        return {"site": self.site, "version": self.version, "problems": self.problems}

    def wait_after(self, version: int, seconds: float = POLL_SECONDS) -> dict:
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout=seconds)
            return self.snapshot()


def tag(site: int) -> bytes:
    """The script tag added to every served HTML page; `data-site` is the build the page is from."""
    return f'<script src="{PREFIX}livereload.js" data-site="{site}" defer></script>'.encode()


def inject(page: bytes, site: int) -> bytes:
    marker = page.rfind(b"</body>")
    return page[:marker] + tag(site) + page[marker:] if marker >= 0 else page + tag(site)


def error_page(problems: list[str]) -> bytes:
    """Served when no build has succeeded yet, so there is no last good site to show."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>构建失败</title></head>'
        f"<body><h1>构建失败 (build failed)</h1><ul>{items}</ul><p>修改后将自动重新构建。</p></body></html>"
    ).encode()


class LiveReloadHandler(SimpleHTTPRequestHandler):
    """Serves the last good build, with the live-reload script in its HTML and the state endpoint."""

    state: BuildState  # set by `handler_for`

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def do_GET(self):  # noqa: N802 - name fixed by the base class
        url = urlsplit(self.path)
        if url.path == PREFIX + "state":
            after = parse_qs(url.query).get("after", ["-1"])[0]
            version = int(after) if after.lstrip("-").isdigit() else -1
            return self._send(json.dumps(self.state.wait_after(version)).encode(), "application/json")
        if url.path == PREFIX + "livereload.js":
            return self._send(SCRIPT.read_bytes(), "text/javascript")
        path = self.translate_path(url.path)
        if os.path.isdir(path) and url.path.endswith("/"):
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and os.path.isfile(path):
            with open(path, "rb") as page:
                return self._send(inject(page.read(), self.state.site), "text/html; charset=utf-8")
        if self.state.site == 0 and self.state.problems:
            return self._send(inject(error_page(self.state.problems), 0), "text/html; charset=utf-8", 503)
        return super().do_GET()

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def handler_for(directory: Path, state: BuildState):
    """A handler class serving `directory` with `state`."""

    class Handler(LiveReloadHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(directory), **kwargs)

    Handler.state = state
    return Handler
