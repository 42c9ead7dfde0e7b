"""Find Chinese outside `lang="zh…"` elements in English pages: UI strings left untranslated.

Quotes and names without English are wrapped in `lang="zh-CN"` by the English templates, so any
other Chinese character in an English page is page chrome someone forgot. Used by the tests and
handy alone: `python tests/english_chrome.py site/en/clusters/semiconductor/index.html`.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Chrome(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) Chinese?
        self.found: list[str] = []
        self.skip = 0  # inside <script>/<style>

    def _chinese(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        inherited = self._chinese()
        lang = values.get("lang")
        chinese = lang.lower().startswith("zh") if lang is not None else inherited
        if not chinese:
            for name in ("title", "aria-label", "placeholder", "alt", "content"):
                if values.get(name) and CJK.search(values[name]) and not (tag == "meta" and name == "content" and values.get("http-equiv")):
                    self.found.append(f"<{tag} {name}=“{values[name][:60]}”>")
        if tag in ("script", "style"):
            self.skip += 1
        if tag not in VOID:
            self.stack.append(chinese)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skip and not self._chinese() and CJK.search(data):
            self.found.append(" ".join(data.split())[:80])


def chinese_chrome(html: str) -> list[str]:
    """The Chinese texts (and attributes) of an English page that are not marked as Chinese."""
    parser = _Chrome()
    parser.feed(html)
    return parser.found


if __name__ == "__main__":
    bad = 0
    for path in sys.argv[1:]:
        for text in chinese_chrome(open(path, encoding="utf-8").read()):
            bad += 1
            print(f"{path}: {text}")
    sys.exit(1 if bad else 0)
