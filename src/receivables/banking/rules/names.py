"""Payer names: normalization and fuzzy matching against customer names (RapidFuzz).

Names are compared in lower case without punctuation and without legal forms (GmbH, Ltd, Inc,
S.A., B.V. ...), with the token-sort ratio, which ignores word order. To stay fast on thousands
of customers, a payer name is compared only with customers sharing a word prefix of three
letters; a name with every word misspelt at its start is therefore not found.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

_LEGAL_FORMS_TEXT = (
    "ab ag as bv co corp corporation company eg ev gbr gmbh inc kg kgaa limited llc llp ltd "
    "mbh nv oy oyj plc sa sarl sas se spa srl ug"
)
LEGAL_FORMS = frozenset(_LEGAL_FORMS_TEXT.split(" "))
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalize_name(name: str | None) -> str:
    """Lower case without punctuation and legal form: ``ACME Trading GmbH`` -> ``acme trading``."""
    if not name:
        return ""
    words = _PUNCTUATION.sub(" ", name.lower().replace("&", " and ")).split()
    kept = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(kept or words)


class NameIndex:
    """Customer names blocked by the first three letters of each word."""

    def __init__(self, customers: Iterable[tuple[int, str]]) -> None:
        self.names: dict[int, str] = {}
        self.blocks: dict[str, set[int]] = defaultdict(set)
        for customer_id, name in customers:
            normalized = normalize_name(name)
            if not normalized:
                continue
            self.names[customer_id] = normalized
            for word in normalized.split():
                if len(word) >= 3:
                    self.blocks[word[:3]].add(customer_id)

    def best(self, payer: str | None, threshold: int) -> list[tuple[int, float]]:
        """Customers whose name scores at least ``threshold`` (0-100), best first, at most three."""
        normalized = normalize_name(payer)
        candidates: set[int] = set()
        for word in normalized.split():
            if len(word) >= 3:
                candidates |= self.blocks.get(word[:3], set())
        scored = []
        for customer_id in candidates:
            score = fuzz.token_sort_ratio(normalized, self.names[customer_id])
            if score >= threshold:
                scored.append((customer_id, score))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:3]
