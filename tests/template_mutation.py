"""Mutation testing of the escaping in templates/pages/ (`make mutation`; mutmut mutates Python only).

Each mutant adds `|safe` to one `{{ … }}` output of one page template, builds the small project of
tests/hostile.py with markup in every text field, and runs the check of
`test_security.test_markup_in_every_text_field_is_escaped_without_a_browser` on it. A mutant the
check does not catch is equivalent when the site it builds is byte-identical to the unmutated one
(the expression prints nothing escaping changes: a count, an id, a URL the build makes, a page this
project has no record for); otherwise it survived, a gap in the tests, and is printed.

    python tests/template_mutation.py [--only place.md.j2] [--report docs/template-mutants.txt]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from builder.site import build_site  # noqa: E402
from hostile import make_project  # noqa: E402
from test_bad_input import tree_digest  # noqa: E402
from test_security import MARKUP_PAYLOAD, check_markup_site  # noqa: E402

OUTPUT = re.compile(r"\{\{(?P<expr>.*?)\}\}", re.S)


def mutants(template: str) -> list[tuple[int, str, str]]:
    """(line, expression, mutated template) for every output not already marked safe."""
    found = []
    for match in OUTPUT.finditer(template):
        expr = match.group("expr").strip()
        if re.search(r"\|\s*safe\b", expr):
            continue
        mutated = template[: match.start()] + "{{ (" + expr + ")|safe }}" + template[match.end() :]
        found.append((template.count("\n", 0, match.start()) + 1, expr, mutated))
    return found


def outcome(project: Path, out: Path, unmutated: dict[str, str] | None) -> str:
    """killed, equivalent (same bytes as the unmutated build) or survived."""
    try:
        build_site(project, out)
        check_markup_site(out)
    except AssertionError:
        return "killed"
    except Exception as exc:  # a mutant that breaks the build is caught too, but say so
        print(f"    (build failed: {type(exc).__name__})")
        return "killed"
    return "equivalent" if tree_digest(out) == unmutated else "survived"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="one template file name, e.g. place.md.j2")
    parser.add_argument("--report", type=Path, help="write the surviving mutants here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="atlas-template-mutants-"))
    project = make_project(work / "project", MARKUP_PAYLOAD)
    pages = project / "templates/pages"
    out = work / "site"
    if outcome(project, out, None) != "survived":
        print("the unmutated templates fail the check: fix that first")
        return 2
    unmutated = tree_digest(out)
    survivors, equivalent, total, started = [], 0, 0, time.monotonic()
    for path in sorted(pages.glob("*.j2")):
        if args.only and path.name != args.only:
            continue
        original = path.read_text("utf-8")
        for line, expr, mutated in mutants(original):
            total += 1
            path.write_text(mutated, "utf-8")
            result = outcome(project, out, unmutated)
            equivalent += result == "equivalent"
            if result == "survived":
                survivors.append(f"templates/pages/{path.name}:{line}: {{{{ {expr} }}}}")
                print("survived", survivors[-1], flush=True)
        path.write_text(original, "utf-8")
    killed = total - len(survivors) - equivalent
    score = killed / max(total - equivalent, 1)
    summary = (
        f"{total} mutants: {killed} killed, {equivalent} equivalent (the same bytes), {len(survivors)} survived; "
        f"{score:.0%} of the non-equivalent killed ({time.monotonic() - started:.0f} s)"
    )
    print(summary)
    if args.report:
        args.report.write_text(summary + "\n" + "".join(s + "\n" for s in survivors), "utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
