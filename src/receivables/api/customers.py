"""Customers and their documents, with open amounts, for every role; collectors see their own."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, Subquery, func, or_, select

from receivables.api.common import (
    AsOfQuery,
    CompanyDep,
    EngineDep,
    PageDep,
    TodayDep,
    money_text,
)
from receivables.api.visibility import customer_id_for
from receivables.auth import Access, Principal
from receivables.domain.documents import DocumentKind
from receivables.domain.money import Currency
from receivables.dunning.open_amounts import open_items_of
from receivables.service.dependencies import allow, visible_customer_ids
from receivables.service.errors import not_found
from receivables.storage.credit_models import CreditHoldRow, CreditLimitRow, CreditScoreRow
from receivables.storage.dunning_models import DunningOverrideRow
from receivables.storage.models import AllocationRow, CustomerRow, DocumentRow

router = APIRouter(tags=["customers"])
Reader = Annotated[Principal, Depends(allow(Access.READ_LEDGER))]


class Customer(BaseModel):
    code: str
    name: str
    country: str | None
    currency: str | None
    industry: str | None
    segment: str | None
    payment_term: str | None
    collector: str | None


class CustomerPage(BaseModel):
    items: list[Customer]
    total: int
    limit: int
    offset: int


class OpenItem(BaseModel):
    kind: str
    number: str
    document_date: date
    due_date: date
    currency: str
    amount: str
    open_amount: str
    open_in_company_currency: str
    days_past_due: int
    disputed: bool


class CreditStatus(BaseModel):
    risk_class: str | None
    credit_limit: str | None
    limit_review_date: date | None
    on_hold: bool
    hold_reason: str | None


class CustomerDetail(Customer):
    as_of: date
    company_currency: str
    balance: str
    overdue: str
    open_items: list[OpenItem]
    credit: CreditStatus


def _customer_query() -> Select:  # type: ignore[type-arg]
    return select(
        CustomerRow.id,
        CustomerRow.code,
        CustomerRow.name,
        CustomerRow.country,
        CustomerRow.currency,
        CustomerRow.industry,
        CustomerRow.segment,
        CustomerRow.payment_term,
        DunningOverrideRow.collector,
    ).outerjoin(DunningOverrideRow, DunningOverrideRow.customer_id == CustomerRow.id)


def _customer(row) -> Customer:  # type: ignore[no-untyped-def]
    return Customer(
        code=row.code,
        name=row.name,
        country=row.country,
        currency=row.currency,
        industry=row.industry,
        segment=row.segment,
        payment_term=row.payment_term,
        collector=row.collector,
    )


@router.get("/customers", operation_id="list_customers", response_model=CustomerPage)
def list_customers(
    engine: EngineDep,
    principal: Reader,
    page: PageDep,
    search: Annotated[str | None, Query(max_length=100, description="Part of the code or name.")] = None,
    segment: Annotated[str | None, Query(max_length=100)] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    collector: Annotated[str | None, Query(max_length=64)] = None,
) -> CustomerPage:
    """List customers by code; a collector sees only the customers assigned to them."""
    query = _customer_query()
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(func.lower(CustomerRow.code).like(pattern), func.lower(CustomerRow.name).like(pattern))
        )
    if segment:
        query = query.where(CustomerRow.segment == segment)
    if country:
        query = query.where(CustomerRow.country == country.upper())
    if collector:
        query = query.where(DunningOverrideRow.collector == collector)
    with engine.connect() as connection:
        visible = visible_customer_ids(connection, principal)
        if visible is not None:
            query = query.where(CustomerRow.id.in_(visible))
        total = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = connection.execute(query.order_by(CustomerRow.code).limit(page.limit).offset(page.offset))
        items = [_customer(row) for row in rows]
    return CustomerPage(items=items, total=total, limit=page.limit, offset=page.offset)


def _credit_status(connection, customer: int, company: CompanyDep) -> CreditStatus:  # type: ignore[no-untyped-def]
    score = connection.execute(
        select(CreditScoreRow.risk_class).where(CreditScoreRow.customer_id == customer)
    ).scalar()
    limit = connection.execute(
        select(CreditLimitRow.amount_minor, CreditLimitRow.currency, CreditLimitRow.review_date)
        .where(CreditLimitRow.customer_id == customer)
        .order_by(CreditLimitRow.id.desc())
        .limit(1)
    ).first()
    hold = connection.execute(
        select(CreditHoldRow.reason).where(
            CreditHoldRow.customer_id == customer, CreditHoldRow.released_at.is_(None)
        )
    ).first()
    return CreditStatus(
        risk_class=score,
        credit_limit=money_text(limit.amount_minor, Currency.of(limit.currency)) if limit else None,
        limit_review_date=limit.review_date if limit else None,
        on_hold=hold is not None,
        hold_reason=hold.reason if hold else None,
    )


@router.get("/customers/{code}", operation_id="get_customer", response_model=CustomerDetail)
def get_customer(
    code: str,
    engine: EngineDep,
    today: TodayDep,
    principal: Reader,
    company: CompanyDep,
    as_of: AsOfQuery = None,
) -> CustomerDetail:
    """Show a customer: balance, overdue amount, open items and credit status on ``as_of``."""
    day = as_of or today
    with engine.connect() as connection:
        customer = customer_id_for(connection, principal, code)
        row = connection.execute(_customer_query().where(CustomerRow.id == customer)).one()
        items = open_items_of(connection, customer, day, company)
        credit = _credit_status(connection, customer, company)
    balance = sum(item.open_company_minor for item in items)
    overdue = sum(item.open_company_minor for item in items if item.due_date < day)
    return CustomerDetail(
        **_customer(row).model_dump(),
        as_of=day,
        company_currency=company.code,
        balance=money_text(balance, company),
        overdue=money_text(overdue, company),
        open_items=[
            OpenItem(
                kind=item.kind,
                number=item.number,
                document_date=item.document_date,
                due_date=item.due_date,
                currency=item.currency,
                amount=money_text(item.amount_minor, Currency.of(item.currency)),
                open_amount=money_text(item.open_minor, Currency.of(item.currency)),
                open_in_company_currency=money_text(item.open_company_minor, company),
                days_past_due=max(0, (day - item.due_date).days),
                disputed=item.disputed,
            )
            for item in items
        ],
        credit=credit,
    )


class DocumentStatus(StrEnum):
    open = "open"
    settled = "settled"
    all = "all"


class Document(BaseModel):
    kind: str
    number: str
    instalment: int
    customer: str
    document_date: date
    due_date: date
    currency: str
    amount: str
    allocated: str
    open_amount: str
    disputed: bool
    reference: str | None
    payment_term: str | None


class DocumentPage(BaseModel):
    items: list[Document]
    total: int
    limit: int
    offset: int


def _allocated(day: date) -> Subquery:
    """What was allocated to (a debit document) or from (a credit document) each document by ``day``."""
    moves = (
        select(AllocationRow.target_document_id.label("document_id"), AllocationRow.amount_minor)
        .where(AllocationRow.allocation_date <= day)
        .union_all(
            select(AllocationRow.source_document_id, AllocationRow.amount_minor).where(
                AllocationRow.allocation_date <= day
            )
        )
        .subquery()
    )
    return (
        select(moves.c.document_id, func.sum(moves.c.amount_minor).label("allocated"))
        .group_by(moves.c.document_id)
        .subquery()
    )


DOCUMENT_COLUMNS = (
    DocumentRow.kind,
    DocumentRow.number,
    DocumentRow.instalment,
    DocumentRow.document_date,
    DocumentRow.due_date,
    DocumentRow.currency,
    DocumentRow.amount_minor,
    DocumentRow.disputed,
    DocumentRow.reference,
    DocumentRow.payment_term,
)


def _document(row) -> Document:  # type: ignore[no-untyped-def]
    currency = Currency.of(row.currency)
    return Document(
        kind=row.kind,
        number=row.number,
        instalment=row.instalment,
        customer=row.customer_code,
        document_date=row.document_date,
        due_date=row.due_date,
        currency=row.currency,
        amount=money_text(row.amount_minor, currency),
        allocated=money_text(int(row.allocated), currency),
        open_amount=money_text(row.amount_minor - int(row.allocated), currency),
        disputed=bool(row.disputed),
        reference=row.reference,
        payment_term=row.payment_term,
    )


@router.get("/documents", operation_id="list_documents", response_model=DocumentPage)
def list_documents(
    engine: EngineDep,
    today: TodayDep,
    principal: Reader,
    page: PageDep,
    customer: Annotated[str | None, Query(max_length=64, description="Customer code.")] = None,
    kind: DocumentKind | None = None,
    status: DocumentStatus = DocumentStatus.all,
    due_from: date | None = None,
    due_to: date | None = None,
    as_of: AsOfQuery = None,
) -> DocumentPage:
    """List documents by due date with what is allocated and open on ``as_of``."""
    day = as_of or today
    allocated = _allocated(day)
    allocated_minor = func.coalesce(allocated.c.allocated, 0)
    query = (
        select(*DOCUMENT_COLUMNS, CustomerRow.code.label("customer_code"), allocated_minor.label("allocated"))
        .join(CustomerRow, CustomerRow.id == DocumentRow.customer_id)
        .outerjoin(allocated, allocated.c.document_id == DocumentRow.id)
        .where(DocumentRow.document_date <= day)
    )
    if kind is not None:
        query = query.where(DocumentRow.kind == kind.value)
    if due_from is not None:
        query = query.where(DocumentRow.due_date >= due_from)
    if due_to is not None:
        query = query.where(DocumentRow.due_date <= due_to)
    if status is DocumentStatus.open:
        query = query.where(DocumentRow.amount_minor - allocated_minor > 0)
    elif status is DocumentStatus.settled:
        query = query.where(DocumentRow.amount_minor - allocated_minor <= 0)
    with engine.connect() as connection:
        if customer is not None:
            query = query.where(DocumentRow.customer_id == customer_id_for(connection, principal, customer))
        visible = visible_customer_ids(connection, principal)
        if visible is not None:
            query = query.where(DocumentRow.customer_id.in_(visible))
        total = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        ordered = query.order_by(DocumentRow.due_date, DocumentRow.number, DocumentRow.instalment)
        rows = connection.execute(ordered.limit(page.limit).offset(page.offset)).all()
    return DocumentPage(
        items=[_document(row) for row in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/documents/{kind}/{number}", operation_id="get_document", response_model=list[Document])
def get_document(
    kind: DocumentKind,
    number: str,
    engine: EngineDep,
    today: TodayDep,
    principal: Reader,
    as_of: AsOfQuery = None,
) -> list[Document]:
    """Show a document: one entry per instalment, with what is allocated and open on ``as_of``."""
    day = as_of or today
    allocated = _allocated(day)
    query = (
        select(
            *DOCUMENT_COLUMNS,
            DocumentRow.customer_id,
            CustomerRow.code.label("customer_code"),
            func.coalesce(allocated.c.allocated, 0).label("allocated"),
        )
        .join(CustomerRow, CustomerRow.id == DocumentRow.customer_id)
        .outerjoin(allocated, allocated.c.document_id == DocumentRow.id)
        .where(DocumentRow.kind == kind.value, DocumentRow.number == number)
        .order_by(DocumentRow.instalment)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        if not rows:
            raise not_found(f"{kind.value} {number}", "number")
        customer_id_for(connection, principal, rows[0].customer_code)
    return [_document(row) for row in rows]
