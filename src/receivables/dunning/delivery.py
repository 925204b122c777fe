"""Sending the approved notices of the outbox: render, deliver, record, exactly once.

The loop recovers deliveries left by a stopped sender, then claims pending rows in batches
(see :mod:`receivables.dunning.outbox`) until none is left. Each claimed notice is rendered
(email or letter), delivered (``.eml`` file, SMTP or PDF file) and recorded as sent; a broken
template, a refused recipient or a delivery that still fails after its retries is recorded as
failed with a problem, and the rest goes on.

Two hooks exist for the crash and concurrency tests, read from the environment:
``RECEIVABLES_DUNNING_SEND_DELAY`` (seconds to sleep before each delivery) and
``RECEIVABLES_DUNNING_EXIT_AFTER_SENDS`` (end the process right after that many deliveries,
before the last is recorded, as a crash between sending and recording would).
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine

from receivables.domain.dunning.policy import Channel
from receivables.dunning.config import CollectionSettings, Transport
from receivables.dunning.errors import TemplateProblemError
from receivables.dunning.notice_context import notice_context
from receivables.dunning.notice_interest import has_contracts, interest_by_item
from receivables.dunning.notice_view import NoticeView, load_views
from receivables.dunning.outbox import (
    EML_FILE,
    SMTP,
    Claim,
    begin_delivery,
    claim,
    delivered_file,
    mark_failed,
    mark_sent,
    new_token,
    recover_stale,
)
from receivables.dunning.pdf import html_to_pdf
from receivables.dunning.problems import Problem
from receivables.dunning.rendering import RenderedMessage, Renderer
from receivables.dunning.transports import (
    DeliveryError,
    SmtpSender,
    build_email,
    message_id,
    write_atomically,
)

log = logging.getLogger(__name__)

EMAIL_LAYOUTS = ("layout/email.txt.j2", "layout/email.html.j2")
LETTER_LAYOUTS = ("layout/email.txt.j2", "layout/letter.html.j2")
EXIT_CODE = 75


@dataclass
class DeliveryReport:
    sent: Counter[str] = field(default_factory=Counter)
    failed: int = 0
    recovered: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "sent": sum(self.sent.values()),
            "sent_by_channel": dict(sorted(self.sent.items())),
            "failed": self.failed,
            "recovered": self.recovered,
        }


class _Hooks:
    def __init__(self) -> None:
        self.delay = float(os.environ.get("RECEIVABLES_DUNNING_SEND_DELAY", "0") or 0)
        limit = os.environ.get("RECEIVABLES_DUNNING_EXIT_AFTER_SENDS")
        self.exit_after = int(limit) if limit else None
        self.count = 0

    def before(self) -> None:
        if self.delay > 0:
            time.sleep(self.delay)

    def after(self) -> None:
        self.count += 1
        if self.exit_after is not None and self.count >= self.exit_after:
            log.error(
                "stopping after %d deliveries, as RECEIVABLES_DUNNING_EXIT_AFTER_SENDS asks",
                self.count,
            )
            os._exit(EXIT_CODE)


class Sender:
    """Renders and delivers claimed notices with one renderer and one SMTP connection."""

    def __init__(self, engine: Engine, settings: CollectionSettings) -> None:
        self.engine = engine
        self.settings = settings
        self.renderer = Renderer(settings)
        self.smtp = SmtpSender(settings.mail) if settings.mail.transport is Transport.SMTP else None
        self.token = new_token()
        self.hooks = _Hooks()
        self.report = DeliveryReport()
        self.contracts = has_contracts(engine)

    def render(self, view: NoticeView) -> RenderedMessage:
        interest, regime = interest_by_item(self.engine, view, self.contracts)
        labels = self.renderer.labels(view.language)
        context = notice_context(view, self.settings, labels, interest, regime)
        layouts = EMAIL_LAYOUTS if view.channel == Channel.EMAIL.value else LETTER_LAYOUTS
        return self.renderer.render_message(view.template, view.language, context, layouts)

    def _deliver(self, item: Claim, view: NoticeView, rendered: RenderedMessage) -> tuple[str, str]:
        """Deliver one notice; return its message id and where it went."""
        settings = self.settings
        if item.transport in (SMTP, EML_FILE):
            identity = message_id(view.id, view.customer_code, view.level, settings.mail.sender)
            email = build_email(
                rendered, view.recipient or "", settings.mail, settings.company, identity
            )
            self.hooks.before()
            if item.transport == SMTP and self.smtp is not None:
                self.smtp.send(email, view.id)
                return identity, view.recipient or ""
            path = delivered_file(item, settings.email_dir, settings.letters_dir)
            write_atomically(path, bytes(email))
            return identity, str(path)
        path = delivered_file(item, settings.email_dir, settings.letters_dir)
        pdf = html_to_pdf(rendered.html)
        self.hooks.before()
        write_atomically(path, pdf)
        return path.name, str(path)

    def handle(self, item: Claim, view: NoticeView | None) -> None:
        if view is None:
            mark_failed(self.engine, item, self.token, "the notice no longer exists")
            return
        try:
            rendered = self.render(view)
        except TemplateProblemError as error:
            self._failed(item, view, f"template {error.template} {error.reason}; not sent")
            return
        if not begin_delivery(self.engine, item, self.token):
            log.warning("notice %d was taken from this sender before delivery", view.id)
            return
        try:
            identity, target = self._deliver(item, view, rendered)
        except DeliveryError as error:
            self._failed(item, view, f"delivery to {view.recipient!r} failed: {error.reason}")
            return
        except OSError as error:
            self._failed(item, view, f"cannot write the delivery file: {error}")
            return
        self.hooks.after()
        if mark_sent(self.engine, item, self.token, identity, target):
            self.report.sent[view.channel] += 1

    def _failed(self, item: Claim, view: NoticeView, reason: str) -> None:
        log.error("notice %d of customer %s: %s", view.id, view.customer_code, reason)
        mark_failed(self.engine, item, self.token, reason)
        self.report.failed += 1
        self.report.problems.append(
            Problem(view.customer_code, f"notice {view.id} ({view.level_name})", reason)
        )

    def close(self) -> None:
        if self.smtp is not None:
            self.smtp.close()


def deliver_pending(
    engine: Engine,
    settings: CollectionSettings,
    limit: int | None = None,
    channel: str | None = None,
) -> DeliveryReport:
    """Deliver pending notices (of one ``channel``, if given) until none is left or ``limit``."""
    sender = Sender(engine, settings)
    sender.report.recovered = recover_stale(
        engine, settings.claim_lease_seconds, settings.email_dir, settings.letters_dir
    )
    transport = SMTP if settings.mail.transport is Transport.SMTP else EML_FILE
    claimed = 0
    try:
        while limit is None or claimed < limit:
            batch = (
                settings.claim_batch
                if limit is None
                else min(settings.claim_batch, limit - claimed)
            )
            claims = claim(engine, sender.token, batch, transport, channel)
            if not claims:
                break
            claimed += len(claims)
            views = load_views(engine, [item.notice_id for item in claims])
            for item in claims:
                sender.handle(item, views.get(item.notice_id))
    finally:
        sender.close()
    log.info(
        "delivered %d notices, %d failed", sum(sender.report.sent.values()), sender.report.failed
    )
    return sender.report
