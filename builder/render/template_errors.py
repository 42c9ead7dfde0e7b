"""Mistakes in `templates/` reported as `file:line: message`, like mistakes in content.

Staff edit templates too. A syntax error, an undefined field or a missing include would otherwise
end in a Jinja traceback. Jinja rewrites tracebacks so that frames of template code carry the
template's file name and line, which is how an error raised while rendering is placed.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError

from ..errors import AtlasError, Location, Problems, relative_path

THEME_DIR = "templates/overrides"


MESSAGE_LIMIT = 300


def template_error(exc: Exception, root: Path) -> AtlasError | None:
    """The AtlasError for an exception raised by template code under `root/templates`, else None."""
    templates = (root / "templates").resolve()
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        filename, line, message = exc.filename, exc.lineno, exc.message or str(exc)
    else:
        frames = [
            frame for frame in traceback.extract_tb(exc.__traceback__) if _inside(Path(frame.filename), templates)
        ]
        if not frames:
            return None
        filename, line, message = frames[-1].filename, frames[-1].lineno, f"{type(exc).__name__}: {exc}"
    if len(message) > MESSAGE_LIMIT:  # an exception may carry a whole list of records in its text
        message = message[:MESSAGE_LIMIT] + f"… ({len(message) - MESSAGE_LIMIT} more characters)"
    return AtlasError(
        f"模板错误 (template error): {message}; fix the template", Location(relative_path(Path(filename), root), line or 0)
    )


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except (ValueError, OSError):
        return False
    return True


def check_theme_templates(root: Path, problems: Problems) -> None:
    """Parse every theme override (MkDocs renders them later, with its own filters and context)."""
    environment = Environment()
    for path in sorted((root / THEME_DIR).rglob("*.html")):
        try:
            environment.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except TemplateSyntaxError as exc:
            problems.add(
                Location(relative_path(path, root), exc.lineno or 0),
                f"模板语法错误 (template syntax error): {exc.message}; fix the template",
            )
        except UnicodeDecodeError:
            problems.add(Location(relative_path(path, root)), "文件不是 UTF-8 编码 (file is not UTF-8): save it as UTF-8")
