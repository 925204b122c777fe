"""The background sender of webhook deliveries, one thread per server process.

Several processes may run it at once: ``deliver_due`` claims each delivery before sending it.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from receivables.api.outbound import deliver_due

log = logging.getLogger(__name__)


class WebhookSender:
    """Send due deliveries every ``interval`` seconds until stopped."""

    def __init__(self, engine: Engine, secret_key: str, interval: float) -> None:
        self.engine = engine
        self.secret_key = secret_key
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="webhook-sender", daemon=True)

    def start(self) -> None:
        self.thread.start()
        log.info("webhook sender started, looking every %.1f s", self.interval)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=self.interval + 15)
        log.info("webhook sender stopped")

    def _loop(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                deliver_due(self.engine, self.secret_key)
            except Exception:
                # The sender must outlive a database hiccup; the next round retries.
                log.exception("webhook sender round failed")
