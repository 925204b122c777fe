"""Which customers a signed-in user may see, checked once per request that names a customer."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from receivables.auth import Principal
from receivables.service.dependencies import visible_customer_ids
from receivables.service.errors import ApiError, not_found
from receivables.storage.models import CustomerRow

# Built once, because building it on each call took a large share of the lookup's CPU time.
CUSTOMER_ID_QUERY = select(CustomerRow.id).where(CustomerRow.code == bindparam("code"))


def customer_id_for(connection: Connection, principal: Principal, code: str) -> int:
    """The id of customer ``code``: 404 when there is none, 403 when not assigned to a collector."""
    found = connection.execute(CUSTOMER_ID_QUERY, {"code": code}).scalar()
    if found is None:
        raise not_found(f"customer {code}", "customer")
    visible = visible_customer_ids(connection, principal)
    if visible is not None and found not in visible:
        raise ApiError(403, "forbidden", f"customer {code} is not assigned to {principal.name}")
    return int(found)
