"""`atlas serve`: build, serve locally, rebuild when sources change, reload the open tab.

A failed rebuild prints its problems and keeps serving the last good site, so a typo in a YAML
file never takes the preview down; the open tab shows the same `file:line` lines in a banner
(builder/livereload.py) and reloads once a rebuild succeeds.
"""

from __future__ import annotations

import threading
import time
import traceback
from http.server import ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from ..livereload import BuildState, handler_for
from ..render.tiles import Tiles
from . import build

WATCHED = ("content", "geo", "templates", "site_src", "mkdocs.yml")
DEBOUNCE_SECONDS = 0.4


class _ChangeFlag(FileSystemEventHandler):
    def __init__(self):
        self.changed = threading.Event()

    def on_any_event(self, event):
        if not event.is_directory and not event.src_path.endswith((".swp", "~")):
            self.changed.set()


def _rebuild(project: Path, out: Path, tiles: Tiles | None, state: BuildState) -> None:
    try:
        code = build.run(project, out, tiles, on_problems=state.failed)
    except Exception:  # a bug in the atlas, not in the content: say so, and keep serving
        lines = traceback.format_exc().splitlines()
        print("\n".join(lines))
        state.failed(["内部错误 (internal error), please report it:", *lines[-6:]])
        return
    if code == 0:
        state.succeeded()


def run(project: Path, out: Path, host: str, port: int, tiles: Tiles | None) -> int:
    project = project.resolve()
    out = out if out.is_absolute() else project / out
    state = BuildState()
    _rebuild(project, out, tiles, state)
    out.mkdir(parents=True, exist_ok=True)

    flag = _ChangeFlag()
    observer = Observer()
    for name in WATCHED:
        path = project / name
        if path.exists():
            observer.schedule(flag, str(path if path.is_dir() else project), recursive=path.is_dir())
    observer.start()

    server = ThreadingHTTPServer((host, port), handler_for(out, state))
    server.daemon_threads = True  # long polls must not keep the process alive on Ctrl+C
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"正在预览 (serving) http://{host}:{server.server_address[1]}/ — Ctrl+C 停止 (stop)", flush=True)
    try:
        while True:
            if flag.changed.wait(timeout=1):
                time.sleep(DEBOUNCE_SECONDS)
                flag.changed.clear()
                print("检测到修改，重新构建 (change detected, rebuilding)…", flush=True)
                _rebuild(project, out, tiles, state)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
    return 0
