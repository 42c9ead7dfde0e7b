"""What search finds: the documents of every record type, from each type's declaration.

Plan paragraphs are searched individually so a result links to the exact paragraph (the plan
type yields them); records are searched with their names, aliases and the quotes they are based
on, and link to their page or their row on their plan's page.
"""

from __future__ import annotations

from ..atlas import Atlas
from ..records import REGISTRY
from .document import SearchDocument

TYPE_LABELS = ("规划原文", *(rt.label for rt in REGISTRY))


def build_documents(atlas: Atlas) -> list[SearchDocument]:
    docs: list[SearchDocument] = []
    for record_type in REGISTRY:
        if record_type.search is None:
            continue
        for record in atlas.records[record_type.folder].values():
            docs.extend(record_type.search(atlas, record))
    for doc in docs:
        doc.facets["type"] = [doc.type]
    return docs
