"""How commands tell people about problems: `file:line: message`, then a count, on stderr."""

from __future__ import annotations

import sys

from ..errors import AtlasError


def print_problems(error: AtlasError, action: str, action_en: str) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    print(f"{action}失败：发现 {count} 个问题 ({action_en} failed: {count} problem{'s' if count != 1 else ''})", file=sys.stderr)
    return 1
