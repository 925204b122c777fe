"""The service audit: one row per request that changed something, with who sent it."""

from __future__ import annotations

from sqlalchemy import Connection, insert

from receivables.auth.clock import utc_now
from receivables.auth.principal import Principal
from receivables.storage.service_models import ServiceAuditRow


def record_action(
    connection: Connection,
    principal: Principal | None,
    action: str,
    *,
    target: str | None = None,
    status_code: int | None = None,
    detail: str | None = None,
) -> None:
    """Write one audit row in the caller's transaction; ``action`` names the operation."""
    connection.execute(
        insert(ServiceAuditRow).values(
            at=utc_now(),
            user_id=principal.user_id if principal else None,
            user_name=principal.name if principal else None,
            action=action[:100],
            target=target[:200] if target else None,
            status_code=status_code,
            detail=detail[:1000] if detail else None,
        )
    )
