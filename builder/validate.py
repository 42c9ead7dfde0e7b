"""Stage 2 — validate: the rules that need all records at once.

Driven by the registry: ids unique within each record type, every declared reference naming a
known record, citation quotes found verbatim in the cited paragraph, then each type's own checks
(geometry inside its district, a cluster mapping only to city clusters …). Each rule reports at
the line a person should edit.
"""

from __future__ import annotations

import difflib

from .errors import Problems
from .load import Content
from .english import validate_english
from .model import Cited, Citation, Plan
from .plantext import plain
from .records import REGISTRY, RecordType
from .versions import compare


class _Ids(dict):
    """Records of one type by id, and the ids whose records could not be read.

    A reference to a record in a file that did not parse, or to a record rejected for its shape,
    is not reported again as unknown: the first problem already says what to fix.
    """

    def __init__(self, records, content: Content, model: type):
        super().__init__((r.id, r) for r in records)
        self.all_excused = model in content.unreadable
        self.excused = content.rejected.get(model, set())

    def excuses(self, ref: str) -> bool:
        return self.all_excused or ref in self.excused


class Checker:
    """What a record type's own checks may consult: the content and every type's records by id."""

    def __init__(self, content: Content):
        self.content = content
        self.ids = {rt.name: _Ids(content.records[rt.folder], content, rt.model) for rt in REGISTRY}

    def known(self, ref: str | None, target: str, record: Cited, problems: Problems, field_name: str = "", index: int | None = None) -> bool:
        """True when `ref` names a known record; reports it unless it names one that could not be read."""
        known = self.ids[target]
        if ref is None or ref in known:
            return True
        if known.excuses(ref):
            return False
        hint = _hint(ref, sorted(known))
        problems.add(
            record.origin_of(field_name, index) if field_name else record.origin,
            f"{type(record).__name__} '{record.id}': {field_name + ': ' if field_name else ''}"
            f"未知的{REGISTRY.named(target).noun} (unknown {target}) '{ref}'; {hint}",
        )
        return False


def _hint(ref: str, known: list[str]) -> str:
    """All known ids when they are few; else the closest ones, so the message stays one line."""
    if not known:
        return "none defined"
    if len(known) <= 12:
        return "known: " + ", ".join(known)
    close = difflib.get_close_matches(ref, known, n=5, cutoff=0.5)
    return (f"did you mean {', '.join(close)}? " if close else "") + f"({len(known)} known, see the files of that type)"


def validate(content: Content, problems: Problems) -> None:
    REGISTRY.check()
    checker = Checker(content)
    changed = _changed_paragraphs(content)
    for record_type in REGISTRY:
        records = content.records[record_type.folder]
        _unique_ids(record_type, records, problems)
        for record in records:
            _check_references(record_type, record, checker, problems)
            _check_citations(record, content, problems)
            _check_quoted(record_type, record, problems)
            _warn_changed(record, changed, problems)
            for check in record_type.checks:
                check(record, checker, problems)
    validate_english(content, problems, lambda citation, found: _check_citation(citation, content, found))


def _unique_ids(record_type: RecordType, records: list[Cited], problems: Problems) -> None:
    seen: dict[tuple, Cited] = {}
    for record in records:
        scope = getattr(record, record_type.unique_within) if record_type.unique_within else None
        first = seen.setdefault((scope, record.id), record)
        if first is not record:
            within = f" within {record_type.unique_within} '{scope}'" if record_type.unique_within else ""
            problems.add(
                record.origin,
                f"重复的 id (duplicate {record_type.name} id) '{record.id}'{within}, first defined at {first.origin}; "
                "ids must be unique",
            )


def _check_references(record_type: RecordType, record: Cited, checker: Checker, problems: Problems) -> None:
    for field_name, target in record_type.references.items():
        value = getattr(record, field_name)
        if isinstance(value, list):
            for index, ref in enumerate(value):
                checker.known(ref, target, record, problems, field_name, index)
        else:
            checker.known(value, target, record, problems, field_name)


def _changed_paragraphs(content: Content) -> dict[str, tuple[str, set[str]]]:
    """Plan id → (earlier version's label, anchors that changed), for versions not yet re-checked."""
    changed = {}
    for plan_id, (current, earlier) in content.versions.items():
        latest = earlier[-1]
        if not latest.citations_checked and plan_id in content.texts:
            changed[plan_id] = (latest.label, compare(latest, content.texts[plan_id], current or "").changed_anchors())
    return changed


def _warn_changed(record: Cited, changed: dict, problems: Problems) -> None:
    for citation in record.citations:
        if citation.plan in changed and citation.para in changed[citation.plan][1]:
            problems.warn(
                citation.origin,
                f"引用的段落在新版本中有改动 (paragraph #{citation.para} changed since {changed[citation.plan][0]}): "
                f"confirm the quote still says what the record states, then set citations_checked: true in "
                f"content/plans/{citation.plan}/versions.yaml",
            )


def _check_quoted(record_type: RecordType, record: Cited, problems: Problems) -> None:
    """A figure or phrase given as written must be in the record's quotes: nothing is invented."""
    quoted = " ".join(plain(c.quote) for c in record.citations)
    for path in record_type.quoted:
        value = record
        for part in path.split("."):
            value = getattr(value, part, None) if value is not None else None
        if value is None:
            continue
        if plain(str(value)) not in quoted:
            problems.add(
                record.origin,
                f"{type(record).__name__} '{record.id}': {path} “{_shorten(str(value))}” is in none of its quotes; "
                "add a citation that quotes it, or write the value exactly as the text has it",
            )


def _check_citations(record: Cited, content: Content, problems: Problems) -> None:
    for citation in record.citations:
        _check_citation(citation, content, problems)


def _check_citation(citation: Citation, content: Content, problems: Problems) -> None:
    where = citation.origin
    text = content.texts.get(citation.plan)
    if text is None:
        if not (Plan in content.unreadable or citation.plan in content.rejected.get(Plan, ())):
            problems.add(where, f"引用了未知的规划 (citation names unknown plan) '{citation.plan}'")
        return
    if not text.readable:
        return  # the text itself is missing or unreadable, reported once at the file
    block = text.by_anchor.get(citation.para)
    if block is None:
        problems.add(where, f"引用的段落不存在 (no paragraph '#{citation.para}' in {text.path})")
        return
    if plain(citation.quote) not in block.text:
        problems.add(
            where,
            f"引文未在段落中找到 (quote not found verbatim in {text.path}:{block.line} #{citation.para}): "
            f"“{_shorten(citation.quote)}” — copy it exactly from the cleaned text",
        )


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
