"""Which of many texts contain a string, without testing every text.

Place pages list every paragraph and record that names the place; done naively that is places ×
paragraphs substring tests, and grows with the square of the content (a 10× corpus spent most of
its build there). A bigram → texts map gives the few candidates (those holding the string's
rarest bigram), and `in` confirms each. Written by hand: the pure-Python Aho–Corasick packages
are slower than this for a few hundred thousand short texts, and the C ones add a compiled
dependency for one lookup.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence


class SubstringIndex:
    def __init__(self, texts: Sequence[str]):
        self.texts = list(texts)
        postings: dict[str, array] = defaultdict(lambda: array("i"))
        for number, text in enumerate(self.texts):
            for bigram in {text[i : i + 2] for i in range(len(text) - 1)}:
                postings[bigram].append(number)
        self.postings = dict(postings)

    def containing(self, needle: str) -> list[int]:
        """The numbers of the texts containing `needle`, ascending."""
        if len(needle) < 2:
            return [n for n, text in enumerate(self.texts) if needle in text]
        bigrams = {needle[i : i + 2] for i in range(len(needle) - 1)}
        rarest = min(bigrams, key=lambda b: len(self.postings.get(b, ())))
        return [n for n in self.postings.get(rarest, ()) if needle in self.texts[n]]
