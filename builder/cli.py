"""The `atlas` command line: one small module per command under `builder/commands/`."""

from __future__ import annotations

from pathlib import Path

import typer

from .commands import build, check, serve

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
    tiles: str = typer.Option("none", help="Map tiles: none (our own basemap), osm."),
    project: Path = ProjectOption,
) -> None:
    """Build the site into OUT; on any error the previous OUT stays as it was."""
    raise typer.Exit(build.run(project, out, tiles))


@app.command("check")
def check_command(project: Path = ProjectOption) -> None:
    """Validate content and geometry only; list every problem as file:line: message."""
    raise typer.Exit(check.run(project))


@app.command("serve")
def serve_command(
    out: Path = typer.Option(Path("site"), "--out", "-o", help="Where to publish the site."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    tiles: str = typer.Option("none", help="Map tiles: none (our own basemap), osm."),
    project: Path = ProjectOption,
) -> None:
    """Build, serve on HOST:PORT and rebuild when content/, geo/, templates/ or site_src/ change."""
    raise typer.Exit(serve.run(project, out, host, port, tiles))


if __name__ == "__main__":  # pragma: no cover
    app()
