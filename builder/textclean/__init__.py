"""Turn a raw plan text extracted from PDF/DOCX into clean, anchored Markdown.

The result is the `text.md` contract read by `builder.plantext`: blocks separated by one blank
line, headings carrying `{#id}`, every other block closed by a `{: #anchor }` line.  A 专栏 box or
a 表 table is wrapped in a `<div class="atlas-box" markdown>` / `<div class="atlas-table"
markdown>` … `</div>` container (md_in_html; each marker line is a block of its own, with no
anchor); the body text after it goes on with the enclosing section's paragraph numbering.
Anchors are derived from the document's own numbering so they stay stable when the text is
re-imported.  Only extraction artefacts are repaired; the wording itself is never changed.

Extraction styles handled: DOCX text with `[bookmark: …]` tags and tables flattened one cell per
line (rebuilt into ` | ` rows; a one-cell "table" framing a 专栏 box is read as text); Markdown
export (`#`, `**`, `<sup>` footnotes); PDF text hard-wrapped at a fixed width, either with no other
signal (a line that does not end a sentence, or that fills the width, runs on) or with a trailing
space on every real line end (then a line without one is a soft wrap, wherever it breaks, and bare
page numbers between the wrapped lines are dropped).  Headings follow the plan's numbering:
第…部分 parts (which push chapters one level down), 一、 chapters, （一） sections — also when a
plan switches to （2） half-way — and 1. subsections, including task numbers that run on through a
chapter (5. … 29.); a numbered line that is a full sentence stays a paragraph.

The work is split by stage: `inline` (shared character-level repairs), `lines` (raw text ->
source lines, front matter), `outline` (headings and their ids), `containers` (专栏 boxes and 表
tables) and `document` (`clean_plan_text`, which assembles the blocks).
"""

from .document import clean_plan_text
from .inline import join_lines

__all__ = ["clean_plan_text", "join_lines"]
