"""The background sender of webhook deliveries, one thread per server process.

Each round it first queues the holds placed outside the API in the last week, then sends what is
due. Several processes may run it at once: ``deliver_due`` claims each delivery before sending it.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import Engine

from receivables.api.outbound import deliver_due
from receivables.auth.clock import utc_now

log = logging.getLogger(__name__)
# Holds placed outside the API (command line, credit review) in this window are announced too.
HOLD_LOOKBACK = timedelta(days=7)


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
        # Imported here: the API's modules import the service package, which imports this one.
        from receivables.api.events import announce_recent_holds

        while not self.stopped.wait(self.interval):
            try:
                announce_recent_holds(self.engine, utc_now() - HOLD_LOOKBACK)
                deliver_due(self.engine, self.secret_key)
            except Exception:
                # The sender must outlive a database hiccup; the next round retries.
                log.exception("webhook sender round failed")
