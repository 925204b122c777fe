"""Dunning policies: ordered levels, and which policy a customer follows.

A level is reached when the customer's oldest eligible item is at least ``days`` past its due
date; negative days make a friendly reminder before the due date (``-3``: three days before).
Levels are numbered from 1 in the order of their days, which must rise strictly. Each level says
how the customer is contacted (``channel``), with which template, the fee it adds, the minimum
overdue amount that makes it worth sending, the days to wait before the next level, the role
that handles it and whether its notices go out automatically or wait for a user's review.

Amounts (fee, minimum) are in the company currency, in major units as written in the config.

Which policy a customer follows, first match wins: the customer's own override, then its risk
class (A-E, from credit management), then its segment, then the default policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from receivables.domain.credit.roles import Role
from receivables.domain.dunning.errors import DunningConfigError

MAX_LEVELS = 9


class Channel(StrEnum):
    """How a level reaches the customer: a message, or a task for a person."""

    EMAIL = "email"
    LETTER = "letter"
    PHONE_CALL = "phone_call"
    VISIT = "visit"
    LEGAL = "legal"

    @property
    def is_message(self) -> bool:
        """Email and letter notices are rendered from a template and delivered."""
        return self in (Channel.EMAIL, Channel.LETTER)


class Dispatch(StrEnum):
    """Whether a level's notices are sent by the run or wait as drafts for review."""

    AUTOMATIC = "automatic"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class EarlyPaymentOffer:
    """A settlement offer printed on a notice: ``percent`` off if all is paid within ``days``."""

    percent: Decimal
    days: int

    def __post_init__(self) -> None:
        if not Decimal(0) < self.percent < Decimal(100):
            raise DunningConfigError("offer.percent", f"{self.percent} must lie between 0 and 100")
        if self.days <= 0:
            raise DunningConfigError("offer.days", f"{self.days} must be at least 1")


@dataclass(frozen=True, slots=True)
class DunningLevel:
    name: str
    days: int
    channel: Channel
    template: str
    fee: Decimal = Decimal(0)
    minimum_amount: Decimal = Decimal(0)
    wait_days: int = 0
    role: Role = Role.COLLECTOR
    dispatch: Dispatch = Dispatch.AUTOMATIC
    task_due_days: int = 2
    offer: EarlyPaymentOffer | None = None

    def __post_init__(self) -> None:
        if self.fee < 0:
            raise DunningConfigError(f"levels.{self.name}.fee", f"{self.fee} must not be negative")
        if self.minimum_amount < 0:
            raise DunningConfigError(
                f"levels.{self.name}.minimum_amount", f"{self.minimum_amount} must not be negative"
            )
        if self.wait_days < 0 or self.task_due_days < 0:
            raise DunningConfigError(
                f"levels.{self.name}", "wait_days and task_due_days must be 0 or more"
            )

    @property
    def bundle_from_days(self) -> int:
        """The smallest days past due of the items a notice of this level lists.

        A notice after the due date lists every overdue item (1 day or more); a reminder before
        the due date also lists the items that fall due within its window.
        """
        return min(self.days, 1)


@dataclass(frozen=True, slots=True)
class DunningPolicy:
    name: str
    levels: tuple[DunningLevel, ...]
    description: str = ""
    promise_grace_days: int = 3

    def __post_init__(self) -> None:
        key = f"policies.{self.name}"
        if not 1 <= len(self.levels) <= MAX_LEVELS:
            raise DunningConfigError(key, f"needs 1 to {MAX_LEVELS} levels, has {len(self.levels)}")
        days = [level.days for level in self.levels]
        if any(later <= earlier for earlier, later in pairwise(days)):
            raise DunningConfigError(key, f"level days {days} must rise strictly")
        names = [level.name for level in self.levels]
        if len(set(names)) != len(names):
            raise DunningConfigError(key, f"level names {names} must be unique")
        if self.promise_grace_days < 0:
            raise DunningConfigError(key, "promise_grace_days must be 0 or more")

    def level(self, number: int) -> DunningLevel:
        """Return level ``number``, counted from 1."""
        if not 1 <= number <= len(self.levels):
            raise DunningConfigError(
                f"policies.{self.name}", f"has no level {number}; it has 1 to {len(self.levels)}"
            )
        return self.levels[number - 1]

    @property
    def top(self) -> int:
        """The number of the last level."""
        return len(self.levels)


@dataclass(frozen=True, slots=True)
class PolicyBook:
    """The policies by name and the rules that assign one to each customer."""

    policies: Mapping[str, DunningPolicy]
    default: str
    by_risk_class: Mapping[str, str] = field(default_factory=dict)
    by_segment: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        named = [("assignment.default", self.default)]
        named += [
            (f"assignment.risk_class.{key}", name) for key, name in self.by_risk_class.items()
        ]
        named += [(f"assignment.segment.{key}", name) for key, name in self.by_segment.items()]
        for key, name in named:
            if name not in self.policies:
                known = ", ".join(sorted(self.policies))
                raise DunningConfigError(key, f"unknown policy {name!r}; known: {known}")

    def policy_name_for(
        self, override: str | None, risk_class: str | None, segment: str | None
    ) -> str:
        """Return the policy a customer follows: override, risk class, segment, default."""
        if override:
            self.get(override)
            return override
        if risk_class and risk_class in self.by_risk_class:
            return self.by_risk_class[risk_class]
        if segment and segment in self.by_segment:
            return self.by_segment[segment]
        return self.default

    def get(self, name: str) -> DunningPolicy:
        try:
            return self.policies[name]
        except KeyError as error:
            known = ", ".join(sorted(self.policies))
            raise DunningConfigError(
                "policy", f"unknown policy {name!r}; known: {known}"
            ) from error
