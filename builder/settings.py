"""Settings staff may change, in `mkdocs.yml`: the site URL and `extra: atlas:` (tiles, language).

They are validated with MkDocs' own typed options (`mkdocs.config.config_options`), so a wrong
value gets MkDocs' precise message ("Expected one of: ('none', 'osm', 'amap') but received: …"),
placed at its line in mkdocs.yml. Command-line options override them for one run.

    site_url: https://atlas.example.cn/     # absolute links in downloads; optional
    extra:
      atlas:
        tiles: none        # none | osm | amap
        language: zh       # the default language of the site
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.utils.yaml import yaml_load

from .errors import AtlasError, Location, Problems
from .render.tiles import Tiles

LANGUAGES = ("zh",)
"""Languages the site can be built in; the first is the default."""


class _AtlasOptions(base.Config):
    tiles = c.Choice([t.value for t in Tiles], default=Tiles.none.value)
    language = c.Choice(LANGUAGES, default=LANGUAGES[0])


class _SiteOptions(base.Config):
    site_url = c.Optional(c.URL(is_dir=True))


@dataclass(frozen=True)
class Settings:
    tiles: Tiles = Tiles.none
    language: str = LANGUAGES[0]
    site_url: str = ""


def load_settings(root: Path) -> Settings:
    """Read and validate the settings; every wrong value is reported at its line in mkdocs.yml."""
    path = root / "mkdocs.yml"
    problems = Problems()
    try:
        with open(path, "rb") as handle:
            data = yaml_load(handle) or {}
    except FileNotFoundError:
        raise AtlasError("mkdocs.yml 缺失 (mkdocs.yml missing): the site configuration must be in the project root", Location("mkdocs.yml")) from None
    except Exception as exc:  # a YAML error in the config: MkDocs' loader raises several kinds
        raise AtlasError(f"mkdocs.yml 无法解析 (cannot parse mkdocs.yml): {exc}", Location("mkdocs.yml")) from None
    text = path.read_text(encoding="utf-8")
    extra = data.get("extra") or {}
    atlas = extra.get("atlas") or {} if isinstance(extra, dict) else {}
    if not isinstance(atlas, dict):
        raise AtlasError("extra.atlas 应为映射 (extra.atlas must be a mapping of settings)", Location("mkdocs.yml", _line_of(text, "atlas")))
    options = _validated(_AtlasOptions(), atlas, "extra.atlas", text, problems)
    site = _validated(_SiteOptions(), {"site_url": data.get("site_url")}, "", text, problems)
    problems.raise_if_any()
    return Settings(tiles=Tiles(options["tiles"]), language=options["language"], site_url=site["site_url"] or "")


def _validated(options: base.Config, values: dict, prefix: str, text: str, problems: Problems) -> base.Config:
    """Validate key by key (MkDocs stops at the first error), so every wrong value is reported."""
    for name, value in values.items():
        single = type(options)()
        single.load_dict({name: value})
        errors, _warnings = single.validate()
        for option, error in errors:
            key = f"{prefix}.{option}" if prefix else option
            problems.add(Location("mkdocs.yml", _line_of(text, option)), f"设置无效 (invalid setting) {key}: {error}")
    options.load_dict(values)
    options.validate()
    return options


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*:", text, flags=re.M)
    return text[: match.start()].count("\n") + 1 if match else 0
