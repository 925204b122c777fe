"""Payer names: normalization and fuzzy matching against customer names (RapidFuzz).

Names are compared in lower case without punctuation and without legal forms (GmbH, Ltd, Inc,
S.A., B.V. ...), with the token-sort ratio, which ignores word order. To stay fast on thousands
of customers, a payer name is compared only with the customers that share the most three-letter
word prefixes with it (digits do not count). So a name whose every word is misspelt at its start
is not found.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

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
    without_forms = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(without_forms or words)


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
                if len(word) >= 3 and word[:3].isalpha():
                    self.blocks[word[:3]].add(customer_id)

    def best(self, payer: str | None, threshold: int) -> list[tuple[int, float]]:
        """Customers whose name scores at least ``threshold`` (0-100), best first, at most three.

        Only the customers sharing the most word prefixes with the payer name are scored.
        """
        normalized = normalize_name(payer)
        shared: Counter[int] = Counter()
        for word in set(normalized.split()):
            if len(word) >= 3 and word[:3].isalpha():
                shared.update(self.blocks.get(word[:3], ()))
        if not shared:
            return []
        top = max(shared.values())
        candidates = [customer_id for customer_id, count in shared.items() if count == top]
        found = process.extract(
            normalized,
            {customer_id: self.names[customer_id] for customer_id in candidates},
            scorer=fuzz.token_sort_ratio,
            score_cutoff=threshold,
            limit=3,
        )
        return sorted(
            ((key, score) for _, score, key in found), key=lambda item: (-item[1], item[0])
        )
