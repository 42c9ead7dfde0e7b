"""How commands tell people about problems: `file:line: message`, then a count, on stderr.

A text with thousands of mistakes must not bury the terminal: the first `SHOWN` of each kind are
printed, then how many more there are (fixing the first ones usually fixes many of the rest).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..errors import AtlasError, Problem

SHOWN = 50


def _capped(items: Sequence[Problem], prefix: str, rest_zh: str, rest_en: str) -> list[str]:
    lines = [f"{item.location}: {prefix}{item.message}" for item in items[:SHOWN]]
    if len(items) > SHOWN:
        more = len(items) - SHOWN
        lines.append(f"……另有 {more} {rest_zh}未显示 (and {more} more {rest_en} not shown)")
    return lines


def print_warnings(warnings: Sequence[Problem]) -> None:
    for line in _capped(warnings, "warning: ", "条警告", "warnings"):
        print(line, file=sys.stderr)


def problem_lines(error: AtlasError, action: str, action_en: str) -> list[str]:
    """The problems as printed: `file:line: message` (capped), then the count."""
    count = len(error.problems)
    return _capped(error.problems.items, "", "个问题", "problems") + [
        f"{action}失败：发现 {count} 个问题 ({action_en} failed: {count} problem{'s' if count != 1 else ''})"
    ]


def print_problems(error: AtlasError, action: str, action_en: str) -> int:
    print_warnings(error.problems.warnings)
    for line in problem_lines(error, action, action_en):
        print(line, file=sys.stderr)
    return 1
