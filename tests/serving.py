"""`atlas serve` in a child process: a free port, its output read as it comes, waits on states."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

STARTUP_CEILING = 300  # seconds: the first build of a copied project on a loaded CI machine


class Serving:
    """Starts `atlas serve --port 0`, collects every output line, and learns the port from it."""

    def __init__(self, project: Path):
        self.project = project
        self.lines: list[str] = []
        self._new_line = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "builder.cli", "serve", "--port", "0", "--project", str(project)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()
        serving = self.wait_for_line(r"正在预览 \(serving\) (http://\S+/)")
        self.url = re.search(r"(http://\S+/)", serving).group(1)

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()
        with self._new_line:
            self._new_line.notify_all()

    def wait_for_line(self, pattern: str, after: int = 0) -> str:
        """The first output line from index `after` on that matches `pattern`; fails if serve exits."""
        regex = re.compile(pattern)
        with self._new_line:
            while True:
                for line in self.lines[after:]:
                    if regex.search(line):
                        return line
                if self.process.poll() is not None and not self._new_line.wait(timeout=1):
                    raise AssertionError("atlas serve exited:\n" + "\n".join(self.lines))
                self._new_line.wait(timeout=STARTUP_CEILING)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=60) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def state(self, after: int = -1) -> dict:
        """The build state; with `after`, waits (long poll) until a build newer than `after` ends."""
        return json.loads(self.get(f"__atlas__/state?after={after}")[1])

    def wait_for_build(self, version: int) -> dict:
        state = self.state()
        while state["version"] <= version:
            assert self.process.poll() is None, "\n".join(self.lines)
            state = self.state(state["version"])
        return state

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
