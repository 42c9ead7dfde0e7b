"""Problems found in user data, each tied to the file and line a person must edit.

Every stage reports into a `Problems` collection instead of raising on the first mistake, so one
`atlas check` run lists everything that is wrong. A stage that cannot go on raises `AtlasError`
carrying the collection; the CLI prints it as `file:line: message` and exits non-zero. Tracebacks
are reserved for bugs in the builder itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file. `line` is 1-based; 0 means "the file as a whole"."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class Problems:
    """An ordered, de-duplicated list of problems (errors), plus warnings.

    Errors stop the build; warnings (a file with no records, a link the build removed) are
    printed and the build goes on. Counting, truth and iteration see errors only.
    """

    items: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, location: Location, message: str) -> None:
        problem = Problem(location, message)
        if problem not in self.items:
            self.items.append(problem)

    def warn(self, location: Location, message: str) -> None:
        problem = Problem(location, message)
        if problem not in self.warnings:
            self.warnings.append(problem)

    def extend(self, other: "Problems") -> None:
        for problem in other.items:
            self.add(problem.location, problem.message)
        for warning in other.warnings:
            self.warn(warning.location, warning.message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise AtlasError(self)


class AtlasError(Exception):
    """User data is wrong; `problems` says where and how to fix it."""

    def __init__(self, problems: Problems | str, location: Location | None = None):
        if isinstance(problems, str):
            collected = Problems()
            collected.add(location or Location("<atlas>"), problems)
            problems = collected
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):  # keep the problems (and their locations) across a process boundary
        return (AtlasError, (self.problems,))


def relative_path(path: Path, root: Path) -> str:
    """Show paths relative to the project root, the way staff see them in their editor."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
