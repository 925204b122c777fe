"""Cash application: bank statements, the matching run, match suggestions and their review.

The routes call ``receivables.banking`` as ``receivables bank`` does. Importing statements,
running the matcher (it applies the sure matches), accepting a suggestion and splitting a
transaction by hand all move money on the ledger, so they need an ``Idempotency-Key``. Invoices
an accepted suggestion or a split settles in full are announced as ``invoice.paid``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from receivables.api.common import (
    CapabilitiesDep,
    CompanyDep,
    EngineDep,
    PageDep,
    PageOf,
    TodayDep,
    page_of,
)
from receivables.api.events import announce_paid, paid_documents
from receivables.api.idempotency import require_idempotency_key
from receivables.api.uploads import saved_uploads
from receivables.auth import Access, Principal
from receivables.banking.importing import BankImportResult, import_statements
from receivables.banking.listing import list_lines
from receivables.banking.matching import run_matching
from receivables.banking.review import accept, list_suggestions, reject, split
from receivables.banking.settings import load_configured_profiles
from receivables.banking.transitions import TransactionStatus
from receivables.service.dependencies import allow
from receivables.service.errors import invalid

router = APIRouter(tags=["cash application"])
Reader = Annotated[Principal, Depends(allow(Access.READ_CASH))]
Applier = Annotated[Principal, Depends(allow(Access.APPLY_CASH))]
Key = Annotated[str, Depends(require_idempotency_key)]


def _targets(numbers: Iterable[str]) -> list[tuple[str, str]]:
    """The debit documents a settled number may name: an invoice or a debit note."""
    return [(kind, number) for number in numbers for kind in ("invoice", "debit_note")]


class StatementFormat(StrEnum):
    camt = "camt"
    mt940 = "mt940"
    bai2 = "bai2"
    ofx = "ofx"
    csv = "csv"


def _import_body(result: BankImportResult, names: dict[str, str]) -> dict[str, Any]:
    def name(path: str) -> str:
        saved = path.rsplit("/", 1)[-1]
        return names.get(saved, saved)

    return {
        "ok": result.ok,
        "problems": [
            {"file": name(problem.file), "position": problem.position, "reason": problem.reason}
            for problem in result.problems
        ],
        "statements": [
            {
                "file": name(item.file),
                "account": item.account,
                "format": item.format,
                "statement": item.statement_key,
                "period": [str(day) for day in item.period] if item.period else None,
                "read": item.transactions_read,
                "new": item.transactions_new,
                "duplicates": item.duplicates,
                "already_imported": item.already_imported,
                "overlaps": list(item.overlaps),
            }
            for item in result.statements
        ],
    }


@router.post("/cash/statements", operation_id="import_bank_statements")
def import_bank_statements(
    engine: EngineDep,
    principal: Applier,
    key: Key,
    files: Annotated[list[UploadFile], File(description="camt.05x, MT940/MT942, BAI2, OFX or CSV files.")],
    statement_format: Annotated[StatementFormat | None, Form(description="Detected when left out.")] = None,
    profile: Annotated[str | None, Form(description="Bank CSV profile ([bank_profiles.NAME]).")] = None,
) -> Any:
    """Import bank statements; a malformed file imports nothing (422 naming file and position)."""
    chosen = None
    if profile is not None:
        profiles = load_configured_profiles()
        if profile not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise invalid("profile", f"bank profile {profile!r} not found (known: {known})")
        chosen = profiles[profile]
    with saved_uploads(files) as (paths, names):
        result = import_statements(
            engine, paths, statement_format.value if statement_format else None, chosen
        )
    body = _import_body(result, names)
    if result.ok:
        return body
    first = body["problems"][0]
    error = {
        "code": "invalid_input",
        "message": f"{first['file']}, {first['position']}: {first['reason']}; nothing was imported",
        "field": "files",
        "problems": [
            {"field": "files", "message": f"{item['file']}, {item['position']}: {item['reason']}"}
            for item in body["problems"]
        ],
    }
    return JSONResponse({"error": error, "result": body}, status_code=422)


class MatchingRequest(BaseModel):
    as_of: date | None = Field(None, description="Match receipts booked on or before this day.")


@router.post("/cash/matching-runs", operation_id="run_matching")
def run_matching_route(
    body: MatchingRequest,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Applier,
    key: Key,
) -> dict[str, Any]:
    """Match open receipts: apply the sure ones, suggest the likely ones, leave the rest.

    Each invoice or instalment the applied payments settle in full is announced as ``invoice.paid``.
    """
    result = run_matching(engine, (body.as_of or today), capabilities.matching, company.code)
    announce_paid(engine, paid_documents(engine, _targets(result.settled_numbers)))
    return result.as_dict()


@router.get("/cash/transactions", operation_id="list_bank_transactions", response_model=PageOf)
def list_bank_transactions(
    engine: EngineDep, principal: Reader, page: PageDep, status: TransactionStatus | None = None
) -> PageOf:
    """List bank transactions in booking order, or those of one status."""
    return page_of(list_lines(engine, status.value if status else None), page)


@router.get("/cash/suggestions", operation_id="list_match_suggestions", response_model=PageOf)
def list_match_suggestions(engine: EngineDep, principal: Reader, page: PageDep) -> PageOf:
    """List the match suggestions waiting for review, best first, with their evidence."""
    return page_of([item.as_dict() for item in list_suggestions(engine)], page)


@router.post("/cash/suggestions/{suggestion_id}/accept", operation_id="accept_match_suggestion")
def accept_match_suggestion(
    suggestion_id: int,
    engine: EngineDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Applier,
    key: Key,
) -> dict[str, Any]:
    """Apply a suggestion to the ledger unchanged and learn the payer's details from it."""
    waiting = {item.proposal_id: item for item in list_suggestions(engine)}
    learned = accept(engine, suggestion_id, capabilities.matching, company.code)
    suggestion = waiting.get(suggestion_id)
    if suggestion is not None:
        announce_paid(
            engine, paid_documents(engine, _targets(str(part["number"]) for part in suggestion.items))
        )
    return {"suggestion_id": suggestion_id, "status": "applied", "learned": learned}


@router.post("/cash/suggestions/{suggestion_id}/reject", operation_id="reject_match_suggestion")
def reject_match_suggestion(suggestion_id: int, engine: EngineDep, principal: Applier) -> dict[str, Any]:
    """Reject a suggestion: it is never suggested again, and the transaction is unmatched."""
    reject(engine, suggestion_id)
    return {"suggestion_id": suggestion_id, "status": "rejected"}


class SplitItem(BaseModel):
    number: str = Field(min_length=1, max_length=64, description="Invoice or debit note number.")
    amount: str = Field(
        pattern=r"^[0-9]+(\.[0-9]+)?$",
        description="In the transaction's currency, as a decimal string such as 100.00.",
    )


class SplitRequest(BaseModel):
    items: list[SplitItem] = Field(min_length=1, max_length=500)


@router.post("/cash/transactions/{transaction_id}/split", operation_id="split_bank_transaction")
def split_bank_transaction(
    transaction_id: int,
    body: SplitRequest,
    engine: EngineDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Applier,
    key: Key,
) -> dict[str, Any]:
    """Apply a bank transaction by hand to the given items; the rest stays as unapplied credit."""
    allocations = [(item.number, Decimal(item.amount)) for item in body.items]
    learned = split(engine, transaction_id, allocations, capabilities.matching, company.code)
    announce_paid(engine, paid_documents(engine, _targets(item.number for item in body.items)))
    return {"transaction_id": transaction_id, "status": "applied", "learned": learned}
