"""How commands tell people about problems: `file:line: message`, then a count, on stderr.

A text with thousands of mistakes must not bury the terminal: the first `SHOWN` of each kind are
printed, then how many more there are (fixing the first ones usually fixes many of the rest).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..errors import AtlasError, Problem

SHOWN = 50


def _print_capped(items: Sequence[Problem], prefix: str, rest_zh: str, rest_en: str) -> None:
    for item in items[:SHOWN]:
        print(f"{item.location}: {prefix}{item.message}", file=sys.stderr)
    if len(items) > SHOWN:
        more = len(items) - SHOWN
        print(f"……另有 {more} {rest_zh}未显示 (and {more} more {rest_en} not shown)", file=sys.stderr)


def print_warnings(warnings: Sequence[Problem]) -> None:
    _print_capped(warnings, "warning: ", "条警告", "warnings")


def print_problems(error: AtlasError, action: str, action_en: str) -> int:
    print_warnings(error.problems.warnings)
    _print_capped(error.problems.items, "", "个问题", "problems")
    count = len(error.problems)
    print(f"{action}失败：发现 {count} 个问题 ({action_en} failed: {count} problem{'s' if count != 1 else ''})", file=sys.stderr)
    return 1
