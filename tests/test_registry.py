"""The record-type registry: one declaration drives loading, checks, pages, search and downloads;
generated outputs cannot collide."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from pydantic import Field

from builder.errors import AtlasError
from builder.model import Cited, Slug, Text
from builder.records import REGISTRY, Column, RecordType, Registry, Sheet
from builder.render.output import SiteFiles
from builder.search.document import SearchDocument
from builder.search.index import documents_of, read_packed
from builder.site import build_site
from hostile import make_project


class Note(Cited):
    """A toy record type: a note on a plan."""

    id: Slug
    plan: Slug
    name: Text
    body: Text | None = Field(default=None)


NOTE = RecordType(
    name="memo",
    model=Note,
    folder="memos",
    noun="札记",
    label="札记",
    references={"plan": "plan"},
    section="memos",
    template="memo.md.j2",
    search=lambda atlas, note: [SearchDocument("札记", note.name, note.body or "", f"memos/{note.id}/", {"plan": [note.plan]})],
    sheet=Sheet("memos.csv", (Column("id", lambda atlas, n: n.id), Column("名称", lambda atlas, n: n.name))),
)


@pytest.fixture
def registered_note():
    REGISTRY.register(NOTE)
    try:
        yield NOTE
    finally:
        REGISTRY.unregister("memo")


def _note_project(tmp_path, notes: str):
    project = make_project(tmp_path / "project", "x")
    (project / "content/memos").mkdir()
    (project / "content/memos/memos.yaml").write_text(notes, encoding="utf-8")
    (project / "templates/pages/memo.md.j2").write_text(
        '{% import "_macros.j2" as m %}\n<h1>{{ memo.name }}</h1>\n<p>{{ memo.body }}</p>\n{{ m.citations(memo, root) }}\n',
        encoding="utf-8",
    )
    return project


NOTES = """\
- id: first-note
  plan: hostile-plan
  name: 第一条札记
  body: 札记正文
  citations:
    - plan: hostile-plan
      para: s1-p1
      quote: 园区x
"""


def test_a_new_record_type_is_one_declaration_one_model_one_template(tmp_path, registered_note):
    project = _note_project(tmp_path, NOTES)
    build_site(project, project / "site")
    site = project / "site"
    page = (site / "memos/first-note/index.html").read_text(encoding="utf-8")
    assert "<h1>第一条札记</h1>" in page and "札记正文" in page
    assert 'href="../../plans/hostile-plan/#s1-p1"' in page  # cited like every record
    # Without an English template it still has its English twin: the name (Chinese, marked) and sources.
    english = (site / "en/memos/first-note/index.html").read_text(encoding="utf-8")
    assert '<h1><span lang="zh-CN">第一条札记</span></h1>' in english
    assert 'href="../../../plans/hostile-plan/#s1-p1"' in english
    data = json.loads((site / "downloads/atlas.json").read_text(encoding="utf-8"))
    assert data["memos"][0]["name"] == "第一条札记"
    rows = list(csv.reader(io.StringIO((site / "downloads/memos.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["id", "名称"] and rows[1][:2] == ["first-note", "第一条札记"]
    docs = documents_of(read_packed(site))
    assert any(d["type"] == "札记" and d["title"] == "第一条札记" for d in docs)


def test_a_new_record_type_is_validated_like_the_others(tmp_path, registered_note):
    notes = NOTES + NOTES.replace("plan: hostile-plan\n  name", "plan: no-such-plan\n  name").replace("quote: 园区x", "quote: 不在文中")
    project = _note_project(tmp_path, notes)
    with pytest.raises(AtlasError) as caught:
        build_site(project, project / "site")
    messages = [str(p) for p in caught.value.problems]
    assert any(re.match(r"content/memos/memos.yaml:9: .*duplicate memo id\) 'first-note'", m) for m in messages), messages
    plan_line = notes.splitlines().index("  plan: no-such-plan") + 1  # the field's own line
    assert any(re.match(rf"content/memos/memos.yaml:{plan_line}: .*unknown plan\) 'no-such-plan'", m) for m in messages), messages
    assert any("quote not found verbatim" in m and "不在文中" in m for m in messages), messages


def test_declarations_are_checked():
    registry = Registry([NOTE])
    with pytest.raises(ValueError, match="refers to unregistered type 'plan'"):
        registry.check()
    with pytest.raises(ValueError, match="name, folder and model must differ"):
        registry.register(NOTE)
    with pytest.raises(ValueError, match="reference field 'author' is not in Note"):
        Registry([RecordType(name="n2", model=Note, folder="n2", noun="n", label="n", references={"author": "plan"}, anchor=lambda n: "")])
    with pytest.raises(ValueError, match="either a section"):
        RecordType(name="n3", model=Note, folder="n3", noun="n", label="n")
    with pytest.raises(ValueError, match="needs a template"):
        RecordType(name="n4", model=Note, folder="n4", noun="n", label="n", section="n4")


def test_every_registered_type_has_a_page_or_an_anchor_that_resolves(built_site):
    from builder.atlas import build_atlas, url_for
    from conftest import ROOT

    atlas = build_atlas(ROOT)
    for record_type in REGISTRY:
        for record in list(atlas.records[record_type.folder].values())[:5]:
            url = url_for(record)
            page, _, anchor = url.partition("#")
            html = (built_site / page / "index.html").read_text(encoding="utf-8")
            assert not anchor or f'id="{anchor}"' in html, url


def test_two_outputs_for_one_path_are_an_error():
    files = SiteFiles(static={"about/": "site_src/about.md"})
    files.add("places/a/index.md", "one", "the page of place a")
    with pytest.raises(AtlasError, match=r"two outputs for one path\) 'places/a.md': the page of b, and already the page of place a"):
        files.add("places/a.md", "two", "the page of b")
    with pytest.raises(AtlasError, match="already site_src/about.md"):
        files.add("about/index.md", "three", "a generated about page")


def test_files_rendered_apart_merge_in_order_with_the_same_checks():
    # the English edition is rendered in another process and merged after the Chinese pages
    files, apart = SiteFiles(), SiteFiles()
    files.add("places/a/index.md", "一", "the page of place a")
    files.nav = [{"首页": "index.md"}]
    apart.add("en/places/a/index.md", "one", "the English page of place a")
    apart.claim("assets/atlas/maps/en-a.js", "the map script of en/places/a/index.md")
    apart.add("en/index.md", "home", "the English home page")
    apart.nav = [{"English": "en/index.md"}]
    files.merge(apart)
    assert list(files.generated) == ["places/a/index.md", "en/places/a/index.md", "en/index.md"]
    assert files.nav == [{"首页": "index.md"}, {"English": "en/index.md"}]
    with pytest.raises(AtlasError, match="already the map script of en/places/a/index.md"):
        files.claim("assets/atlas/maps/en-a.js", "another map")
    clash = SiteFiles()
    clash.add("places/a.md", "two", "the page of b")
    with pytest.raises(AtlasError, match=r"'places/a.md': the page of b, and already the page of place a"):
        files.merge(clash)


def test_a_generated_file_that_clashes_with_site_src_fails_the_build(tmp_path):
    project = make_project(tmp_path / "project", "x")
    (project / "site_src/assets/atlas/clusters.css").write_text("/* hand-written */\n", encoding="utf-8")
    with pytest.raises(AtlasError) as caught:
        build_site(project, project / "site")
    message = str(caught.value)
    assert "site_src/assets/atlas/clusters.css" in message and "the cluster colours" in message
    assert not (project / "site").exists()
