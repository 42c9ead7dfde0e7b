"""`atlas serve` in Chromium: the open tab reloads after a rebuild and shows a failed one in a banner."""

from __future__ import annotations

import pytest

from conftest import copy_project
from serving import Serving

pytestmark = pytest.mark.browser


@pytest.fixture
def serving(tmp_path):
    running = Serving(copy_project(tmp_path / "project"))
    yield running
    running.stop()


def test_the_open_tab_reloads_shows_a_failed_build_and_recovers(serving, page):
    places = serving.project / "content" / "places" / "longgang.yaml"
    good = places.read_text(encoding="utf-8")
    page.goto(serving.url + "places/longgang-west/")
    page.wait_for_selector("html[data-atlas-build]", state="attached")  # the live-reload script is polling
    version = int(page.get_attribute("html", "data-atlas-build"))

    places.write_text(good.replace("name: 龙岗西先进制造业园区", "name: 龙岗西先进制造业园区（已更新）", 1), encoding="utf-8")
    page.wait_for_selector("h1:has-text('（已更新）')")  # reloaded by itself, no navigation by the test

    lines = good.splitlines(keepends=True)
    broken = next(i for i, line in enumerate(lines) if line.startswith("- id: ")) + 1
    lines[broken - 1] = "- id: [unclosed\n"
    places.write_text("".join(lines), encoding="utf-8")
    banner = page.locator(".atlas-build-error[role=alert]")
    banner.wait_for()
    assert f"content/places/longgang.yaml:{broken}: YAML 语法错误" in banner.inner_text()
    assert "（已更新）" in page.locator("h1").inner_text()  # still the last good page
    assert int(page.get_attribute("html", "data-atlas-build")) > version

    places.write_text(good, encoding="utf-8")
    page.wait_for_selector("h1:not(:has-text('（已更新）'))")
    page.wait_for_selector("html[data-atlas-build]", state="attached")
    assert page.locator(".atlas-build-error").count() == 0
    assert page.watch.errors == []
