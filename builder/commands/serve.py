"""`atlas serve`: build, serve locally, rebuild when sources change.

A failed rebuild prints its problems and keeps serving the last good site, so a typo in a YAML
file never takes the preview down.
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from ..render.tiles import Tiles
from . import build

WATCHED = ("content", "geo", "templates", "site_src", "mkdocs.yml")
DEBOUNCE_SECONDS = 0.4


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


class _ChangeFlag(FileSystemEventHandler):
    def __init__(self):
        self.changed = threading.Event()

    def on_any_event(self, event):
        if not event.is_directory and not event.src_path.endswith((".swp", "~")):
            self.changed.set()


def run(project: Path, out: Path, host: str, port: int, tiles: Tiles | None) -> int:
    project = project.resolve()
    out = out if out.is_absolute() else project / out
    build.run(project, out, tiles)
    out.mkdir(parents=True, exist_ok=True)

    flag = _ChangeFlag()
    observer = Observer()
    for name in WATCHED:
        path = project / name
        if path.exists():
            observer.schedule(flag, str(path if path.is_dir() else project), recursive=path.is_dir())
    observer.start()

    handler = functools.partial(_Quiet, directory=str(out))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"正在预览 (serving) http://{host}:{port}/ — Ctrl+C 停止 (stop)")
    try:
        while True:
            if flag.changed.wait(timeout=1):
                time.sleep(DEBOUNCE_SECONDS)
                flag.changed.clear()
                print("检测到修改，重新构建 (change detected, rebuilding)…")
                build.run(project, out, tiles)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
    return 0
