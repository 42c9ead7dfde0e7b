"""`atlas serve`: build, serve locally, rebuild when sources change, reload the open tab.

A failed rebuild prints its problems and keeps serving the last good site, so a typo in a YAML
file never takes the preview down; the open tab shows the same `file:line` lines in a banner
(builder/livereload.py) and reloads once a rebuild succeeds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from ..livereload import BuildState, handler_for
from ..render.tiles import Tiles

WATCHED = ("content", "geo", "templates", "site_src", "mkdocs.yml")
DEBOUNCE_SECONDS = 0.4


class _ChangeFlag(FileSystemEventHandler):
    def __init__(self):
        self.changed = threading.Event()

    def on_any_event(self, event):
        if not event.is_directory and not event.src_path.endswith((".swp", "~")):
            self.changed.set()


def _rebuild(project: Path, out: Path, tiles: Tiles | None, state: BuildState) -> None:
    """One `atlas build` as a fresh process: it has none of this process's threads (watcher,
    server), so it may use the other core, and a crash in it cannot take the preview down."""
    command = [sys.executable, "-m", "builder.cli", "build", "--json", "--project", str(project), "--out", str(out)]
    if tiles is not None:
        command += ["--tiles", tiles.value]
    result = subprocess.run(command, capture_output=True, text=True)
    sys.stderr.write(result.stderr)  # problems and warnings, exactly as `atlas build` prints them
    sys.stderr.flush()
    try:
        report = json.loads(result.stdout)
    except ValueError:  # the build crashed: a bug in the atlas, not in the content
        state.failed(["内部错误 (internal error), please report it:", *result.stderr.strip().splitlines()[-6:]])
        return
    if report["ok"]:
        print(f"构建完成 (built) {report['pages']} pages in {report['seconds']:.1f}s", flush=True)
        state.succeeded()
    else:  # the same lines as the terminal shows: the problems (capped) and their count
        state.failed([line for line in result.stderr.splitlines() if ": warning: " not in line])


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
