"""Collector tasks: phone calls, visits and legal hand-overs, and what each outcome leads to.

A task is ``open`` until a collector records its outcome (``done``) or it is ``cancelled``. An
outcome says what happens next:

========================  ==========================================================
outcome                   next action
========================  ==========================================================
``reached``               none: dunning goes on as the policy says
``promise_to_pay``        wait for the promise (a promise to pay is recorded)
``dispute``               resolve the dispute (a dispute is opened on the item)
``no_answer``             call again, a follow-up task after ``retry_days``
``wrong_contact``         update the contact data, a follow-up task after ``retry_days``
========================  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from receivables.domain.dunning.errors import InvalidOutcomeError, InvalidTransitionError
from receivables.domain.dunning.policy import Channel


class TaskKind(StrEnum):
    PHONE_CALL = "phone_call"
    VISIT = "visit"
    LEGAL_HANDOVER = "legal_handover"
    FOLLOW_UP = "follow_up"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    REACHED = "reached"
    PROMISE_TO_PAY = "promise_to_pay"
    DISPUTE = "dispute"
    NO_ANSWER = "no_answer"
    WRONG_CONTACT = "wrong_contact"


class NextAction(StrEnum):
    NONE = "none"
    WAIT_FOR_PROMISE = "wait_for_promise"
    RESOLVE_DISPUTE = "resolve_dispute"
    CALL_AGAIN = "call_again"
    UPDATE_CONTACT = "update_contact"


NEXT_ACTIONS: dict[Outcome, NextAction] = {
    Outcome.REACHED: NextAction.NONE,
    Outcome.PROMISE_TO_PAY: NextAction.WAIT_FOR_PROMISE,
    Outcome.DISPUTE: NextAction.RESOLVE_DISPUTE,
    Outcome.NO_ANSWER: NextAction.CALL_AGAIN,
    Outcome.WRONG_CONTACT: NextAction.UPDATE_CONTACT,
}

TASK_KINDS: dict[Channel, TaskKind] = {
    Channel.PHONE_CALL: TaskKind.PHONE_CALL,
    Channel.VISIT: TaskKind.VISIT,
    Channel.LEGAL: TaskKind.LEGAL_HANDOVER,
}


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A task that an outcome creates: its kind and due date."""

    kind: TaskKind
    due_date: date


def task_kind(channel: Channel) -> TaskKind:
    """Return the task a level of ``channel`` creates; email and letter levels create none."""
    try:
        return TASK_KINDS[channel]
    except KeyError as error:
        raise InvalidOutcomeError(f"a {channel.value} level creates no task") from error


def follow_up(outcome: Outcome, kind: TaskKind, done_on: date, retry_days: int) -> FollowUp | None:
    """Return the follow-up task an outcome creates, or None."""
    action = NEXT_ACTIONS[outcome]
    if action is NextAction.CALL_AGAIN:
        again = kind if kind is not TaskKind.LEGAL_HANDOVER else TaskKind.FOLLOW_UP
        return FollowUp(again, done_on + timedelta(days=retry_days))
    if action is NextAction.UPDATE_CONTACT:
        return FollowUp(TaskKind.FOLLOW_UP, done_on + timedelta(days=retry_days))
    return None


def check_close(status: TaskStatus) -> None:
    if status is not TaskStatus.OPEN:
        raise InvalidTransitionError("the task", status.value, TaskStatus.DONE.value)
