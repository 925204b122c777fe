"""Delivery of rendered notices: .eml files in a folder, an SMTP server, or PDF letters.

File deliveries write ``notice-<id>.eml`` or ``notice-<id>.pdf`` through a temporary file and an
atomic rename, so a file is there whole or not at all and a crash never leaves half a letter. A
file already there counts as delivered and is not written again.

SMTP sends over one connection per batch (plain, STARTTLS or implicit TLS, with a login when a
user name is set). A failure the server calls temporary (a 4xx reply, a dropped connection, a
timeout) is retried after an exponential backoff, up to ``max_attempts`` tries in all, and each
failure is logged. A permanent refusal (a 5xx reply, such as an unknown recipient) is not
retried. The Message-ID is derived from the notice, so a receiving system can spot a duplicate.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from receivables.domain.dunning.notices import retry_delay_seconds
from receivables.dunning.audit import utc_now
from receivables.dunning.config import CompanyDetails, MailSettings, Security
from receivables.dunning.rendering import RenderedMessage

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A delivery failed; ``permanent`` when retrying cannot help."""

    def __init__(self, reason: str, permanent: bool) -> None:
        self.reason = reason
        self.permanent = permanent
        super().__init__(reason)


def message_id(notice_id: int, customer_code: str, level: int, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "receivables.invalid"
    safe = "".join(character for character in customer_code if character.isalnum()) or "customer"
    return f"<dunning-notice-{notice_id}.{safe}.{level}@{domain}>"


def build_email(
    rendered: RenderedMessage,
    recipient: str,
    mail: MailSettings,
    company: CompanyDetails,
    identity: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((company.name, mail.sender)) if company.name else mail.sender
    message["To"] = recipient
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(utc_now())
    message["Message-ID"] = identity
    message["Content-Language"] = rendered.language
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it exists; return whether this call wrote it."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


class SmtpSender:
    """One SMTP connection, opened on first use and reused for a batch."""

    def __init__(self, mail: MailSettings, sleep: object = time.sleep) -> None:
        self.mail = mail
        self.connection: smtplib.SMTP | None = None
        self.sleep = sleep

    def _connect(self) -> smtplib.SMTP:
        mail = self.mail
        context = ssl.create_default_context(cafile=mail.ca_file or None)
        if mail.security is Security.TLS:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                mail.host, mail.port, timeout=mail.timeout_seconds, context=context
            )
        else:
            connection = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout_seconds)
            if mail.security is Security.STARTTLS:
                connection.starttls(context=context)
        if mail.username:
            connection.login(mail.username, mail.password)
        return connection

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None

    def send(self, message: EmailMessage, notice_id: int) -> None:
        """Send ``message``, retrying temporary failures with backoff; raise DeliveryError."""
        attempts = max(1, self.mail.max_attempts)
        for attempt in range(1, attempts + 1):
            try:
                if self.connection is None:
                    self.connection = self._connect()
                refused = self.connection.send_message(message)
                if refused:
                    raise DeliveryError(f"recipients refused: {refused}", permanent=True)
                return
            except DeliveryError:
                raise
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _ in error.recipients.values()]
                problem = DeliveryError(
                    f"recipient refused by the server: {error.recipients}",
                    all(code >= 500 for code in codes),
                )
            except smtplib.SMTPResponseException as error:
                text = (
                    error.smtp_error.decode("utf-8", "replace")
                    if isinstance(error.smtp_error, bytes)
                    else str(error.smtp_error)
                )
                problem = DeliveryError(
                    f"server replied {error.smtp_code} {text}", error.smtp_code >= 500
                )
                self._reset()
            except (smtplib.SMTPException, OSError) as error:
                problem = DeliveryError(f"{type(error).__name__}: {error}", permanent=False)
                self._drop()
            log.warning(
                "notice %d: SMTP attempt %d of %d failed: %s",
                notice_id,
                attempt,
                attempts,
                problem.reason,
            )
            if problem.permanent or attempt == attempts:
                raise DeliveryError(
                    f"{problem.reason} (after {attempt} attempt{'s' if attempt > 1 else ''})",
                    problem.permanent,
                )
            delay = retry_delay_seconds(
                attempt, self.mail.backoff_seconds, self.mail.backoff_max_seconds
            )
            self.sleep(delay)  # type: ignore[operator]

    def _reset(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
