"""A synthetic corpus at k× the bundled content, for the scale benchmark and the CI scale build.

`make_corpus(k, target)` copies the project to `target` and adds k−1 synthetic copies of every
plan, cluster, place, indicator, project, role, task and version. Copy *i* suffixes every record
id with `-x{i}` (references inside the copy follow, so each copy is self-consistent) and marks
titles, names and aliases 〔合成{i}〕. Its plan texts are recombined from the real ones: within each run of
plain paragraphs the paragraphs are shuffled (seeded), each keeping its anchor, so every
citation still finds its quote in the paragraph it names and the corpus validates. Places keep
their real geometry (under new ids), so they lie inside their districts. The districts and the
departments are shared: a bigger atlas still has Shenzhen's eleven districts. The English names
of the copies are appended to each `content/english/` file (one file per record type).

Usage: `python -m bench.synth 10 /tmp/corpus-10x`, then `atlas build --project /tmp/corpus-10x`.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("content", "geo", "templates", "site_src", "mkdocs.yml")
SHARED = {"districts", "departments"}  # record folders not copied
NOT_COPIED = {"coverage", "finding_notes"}  # editorial files about the real records only
ANCHOR = re.compile(r"^\{: #[^ ]+ \}$")
PLAIN = re.compile(r"^[^#|<>\-*\d{!\[ ]")  # a paragraph of text, not a heading, table, list or box


def record_ids() -> tuple[set[str], set[str]]:
    """(ids of copied records, ids of shared ones) of the bundled content."""
    from builder.errors import Problems
    from builder.load import load_content

    problems = Problems()
    content = load_content(ROOT, problems)
    copied, shared = set(), set()
    for folder, records in content.records.items():
        ids = {r.id for r in records if getattr(r, "id", None)}
        (shared if folder in SHARED else copied).update(ids)
    return copied, shared


def _renamer(ids: set[str], suffix: str):
    pattern = re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(sorted(map(re.escape, ids), key=len, reverse=True)) + r")(?![A-Za-z0-9_-])")

    def rename(text: str) -> str:
        return pattern.sub(lambda m: m.group(1) + suffix, text)

    return rename


def _mark_names(text: str, mark: str) -> str:
    """Titles and names say they are synthetic (pages stay distinguishable in search and nav)."""

    def marked(match: re.Match) -> str:
        key, value = match.group(1), match.group(2).rstrip()
        if value[:1] in "\"'" and len(value) > 1 and value[-1] == value[0]:
            return key + value[:-1] + mark + value[-1]
        if value[:1] in "|>&*!{[":  # block scalars, anchors, flow collections: leave alone
            return match.group(0)
        return key + value + mark

    def marked_aliases(match: re.Match) -> str:
        items = [item.strip() for item in match.group(2).split(",") if item.strip()]
        return match.group(1) + "[" + ", ".join(_marked_item(item, mark) for item in items) + "]"

    text = re.sub(r"^(\s*-?\s*aliases: )\[(.*)\]\s*$", marked_aliases, text, flags=re.M)
    return re.sub(r"^(\s*-?\s*(?:title|short_title|name): )(.+)$", marked, text, flags=re.M)


def _marked_item(item: str, mark: str) -> str:
    """An alias of a copy is the copy's own: 100 places sharing a real alias would each be named
    by every copy's text, which no real corpus does (mentions would grow with the square of k)."""
    if item[:1] in "\"'" and len(item) > 1 and item[-1] == item[0]:
        return item[:-1] + mark + item[-1]
    return item + mark


def recombine(text: str, rng: random.Random) -> str:
    """Shuffle each run of plain anchored paragraphs; headings, tables, lists and boxes stay put."""
    blocks = text.split("\n\n")
    out, run = [], []

    def flush():
        rng.shuffle(run)
        out.extend(run)
        run.clear()

    for block in blocks:
        lines = block.strip("\n").split("\n")
        plain = len(lines) >= 2 and ANCHOR.match(lines[-1]) and all(PLAIN.match(line) for line in lines[:-1])
        if plain:
            run.append(block)
        else:
            flush()
            out.append(block)
    flush()
    return "\n\n".join(out)


def _copy_project(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)


def make_corpus(scale: int, target: Path, seed: int = 20261202) -> Path:
    _copy_project(target)
    copied, shared = record_ids()
    clash = copied & shared
    if clash:
        raise SystemExit(f"ids used by both copied and shared records: {sorted(clash)}")
    content = ROOT / "content"
    yaml_files = [
        path for path in sorted(content.rglob("*.yaml"))
        if path.relative_to(content).parts[0] not in SHARED | NOT_COPIED | {"sources", "districts.yaml", "english"}
    ]  # fmt: skip
    english = {path: [] for path in sorted((content / "english").glob("*.yaml")) if path.stem not in SHARED | {"labels"}}
    rng = random.Random(seed)
    for i in range(1, scale):
        suffix, mark = f"-x{i}", f"〔合成{i}〕"
        rename = _renamer(copied, suffix)
        for path in yaml_files:
            relative = path.relative_to(content)
            text = _mark_names(rename(path.read_text(encoding="utf-8")), mark)
            if relative.parts[0] == "plans":  # plans/<id>/…: the folder carries the copy's id
                destination = target / "content" / "plans" / (relative.parts[1] + suffix) / Path(*relative.parts[2:])
            else:
                destination = target / "content" / relative.parent / f"{path.stem}{suffix}.yaml"
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
        for path, copies in english.items():  # one file per type: the copies' English goes into it
            copies.append(_mark_names(rename(path.read_text(encoding="utf-8")), f" [synthetic {i}]"))
        for text_md in sorted((content / "plans").glob("*/**/*.md")):
            relative = text_md.relative_to(content / "plans")
            destination = target / "content" / "plans" / (relative.parts[0] + suffix) / Path(*relative.parts[1:])
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(recombine(text_md.read_text(encoding="utf-8"), rng), encoding="utf-8")
        for geo in sorted((ROOT / "geo" / "places").glob("*.geojson")):
            collection = json.loads(geo.read_text(encoding="utf-8"))
            for feature in collection["features"]:
                feature["id"] = feature["id"] + suffix
                feature["properties"]["id"] = feature["properties"]["id"] + suffix
                if "name" in feature["properties"]:
                    feature["properties"]["name"] += mark
            out = target / "geo" / "places" / f"{geo.stem}{suffix}.geojson"
            out.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    for path, copies in english.items():
        original = path.read_text(encoding="utf-8")
        (target / "content" / "english" / path.name).write_text(original + "".join("\n" + c for c in copies), encoding="utf-8")
    return target


if __name__ == "__main__":
    make_corpus(int(sys.argv[1]), Path(sys.argv[2]))
