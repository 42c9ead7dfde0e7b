"""The `atlas` command line: one small module per command under `builder/commands/`."""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .commands import build, check, import_plan, serve
from .render.tiles import Tiles, tiles_help

app = typer.Typer(
    name="atlas",
    help="深圳产业地图 — build the policy atlas site from content/ and geo/.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ProjectOption = typer.Option(Path("."), "--project", "-p", help="Project root holding content/, geo/, mkdocs.yml.")


@app.command("build")
def build_command(
    out: Path = typer.Option(Path("site"), "--out", "-o", help="Where to publish the site."),
    tiles: Optional[Tiles] = typer.Option(None, help=tiles_help() + " Default: extra.atlas.tiles in mkdocs.yml."),
    profile: bool = typer.Option(False, "--profile", help="Print the time of every stage, and a table at the end."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but problems (for CI)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object with the stages' times and counts."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Build everything afresh, without reading or writing .atlas-cache/."),
    project: Path = ProjectOption,
) -> None:
    """Build the site into OUT; on any error the previous OUT stays as it was."""
    output = "json" if as_json else "quiet" if quiet else "profile" if profile else "lines"
    raise typer.Exit(build.run(project, out, tiles, output, use_cache=not no_cache))


@app.command("check")
def check_command(
    coverage: bool = typer.Option(False, "--coverage", help="Also report counts per plan and figures and place names no record captures."),
    consistency: bool = typer.Option(False, "--consistency", help="Also list where the plans disagree (each side at its file:line)."),
    project: Path = ProjectOption,
) -> None:
    """Validate content, geometry and templates; list every problem as file:line: message."""
    raise typer.Exit(check.run(project, coverage, consistency))


@app.command("import")
def import_command(
    source: Path = typer.Argument(..., help="The document: .txt (UTF-8 or GB18030/GBK), .docx or .md."),
    plan_id: str = typer.Option(..., "--id", help="Plan id (ASCII slug), e.g. longgang-14th."),
    lines: str = typer.Option(None, "--lines", help="Import only lines START-END (a plan bundled in a larger file)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing text.md (plan.yaml is never overwritten)."),
    version: str = typer.Option(None, "--version", help="A new version of an existing plan (e.g. 正式稿): the current text is kept as the previous version."),
    project: Path = ProjectOption,
) -> None:
    """Clean a plan document into content/plans/ID/text.md and a plan.yaml skeleton."""
    raise typer.Exit(import_plan.run(project, source, plan_id, lines, force, version))


@app.command("serve")
def serve_command(
    out: Path = typer.Option(Path("site"), "--out", "-o", help="Where to publish the site."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on (0: any free port; the URL is printed)."),
    tiles: Optional[Tiles] = typer.Option(None, help=tiles_help() + " Default: extra.atlas.tiles in mkdocs.yml."),
    project: Path = ProjectOption,
) -> None:
    """Build, serve on HOST:PORT and rebuild when content/, geo/, templates/ or site_src/ change."""
    raise typer.Exit(serve.run(project, out, host, port, tiles))


def main() -> None:
    """The `atlas` command: `app`, then leave without tearing the interpreter down. Freeing one by
    one every object a build made took a tenth of a second at this size (a twentieth of a rebuild),
    and longer at scale, for nothing: the exit handlers still run and the output is flushed."""
    try:
        app()
        code = 0
    except SystemExit as done:  # how typer ends
        if done.code is None or isinstance(done.code, int):
            code = done.code or 0
        else:
            print(done.code, file=sys.stderr)
            code = 1
    if sys.getprofile() is not None or sys.gettrace() is not None or not hasattr(atexit, "_run_exitfuncs"):
        sys.exit(code)  # a profiler or a coverage tracer writes its data as the interpreter ends
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
