"""A real SMTP server on 127.0.0.1 for the delivery tests (aiosmtpd), on a free port."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the server accepted; it answers ``refuse_first`` DATA commands with ``refusal``."""

    refuse_first: int = 0
    refusal: str = "451 4.3.0 Mailbox busy, try again later"
    reject_recipients: set[str] = field(default_factory=set)
    messages: list[Message] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refused < self.refuse_first:
                self.refused += 1
                return self.refusal
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.messages]


class SmtpServer:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.port = free_port()
        self.controller = Controller(mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def environment(self) -> dict[str, str]:
        return {
            "RECEIVABLES_MAIL_TRANSPORT": "smtp",
            "RECEIVABLES_SMTP_HOST": "127.0.0.1",
            "RECEIVABLES_SMTP_PORT": str(self.port),
        }


def self_signed_certificate(folder) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Make a certificate for 127.0.0.1 with the openssl command; return (cert, key) paths."""
    import subprocess

    cert, key = folder / "server.crt", folder / "server.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


class StartTlsServer(SmtpServer):
    """A server that requires STARTTLS, then a login with ``user`` and ``password``."""

    def __init__(self, mailbox: Mailbox, cert: str, key: str, user: str, password: str) -> None:
        import ssl

        from aiosmtpd.smtp import AuthResult, LoginPassword

        self.mailbox = mailbox
        self.port = free_port()
        self.logins: list[str] = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)

        def authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
            ok = ok and auth_data.password.decode() == password
            self.logins.append(auth_data.login.decode())
            return AuthResult(success=ok)

        self.controller = Controller(
            mailbox, hostname="127.0.0.1", port=self.port, tls_context=context,
            require_starttls=True, authenticator=authenticate, auth_require_tls=True,
        )  # fmt: skip
