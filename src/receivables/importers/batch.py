"""The checks that need every file of an import and the stored ledger, and the rows that survive them.

Rows are known by ``(_file, _row)``. A row with any problem is rejected as a whole, with every
record it yields (a settled invoice row yields an invoice, a payment and an allocation). Rows that
depend on a rejected row are rejected in turn: documents of a rejected customer, allocations to a
rejected document. The checks repeat until no new row is rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from receivables.domain.discounts import DiscountBase
from receivables.importers.allocation_rules import KEY as ALLOCATION_KEY
from receivables.importers.allocation_rules import allocation_problems, document_name
from receivables.importers.ledger_checks import (
    CompanyCurrency,
    company_currency_problem,
    conflicting_duplicates,
    customer_problems,
    decide_company_currency,
    known_rates,
    rate_problems,
    resolve_fx,
)
from receivables.importers.loading import LoadedFile
from receivables.importers.problems import concat_problems, rejected_rows, without_rows
from receivables.importers.records import ALLOCATION_SCHEMA, CUSTOMER_SCHEMA, DOCUMENT_SCHEMA, RATE_SCHEMA
from receivables.importers.state import StoredState
from receivables.importers.term_expansion import customer_terms, expand_instalments, settlement_rows

DOCUMENT_CONTENT = [
    "customer_code", "document_date", "due_date", "currency", "amount_minor", "tax_minor",
    "fx_rate", "disputed", "reference", "payment_term", "discount_offers",
]  # fmt: skip
DOCUMENT_KEY = ["kind", "number", "instalment"]
CUSTOMER_CONTENT = ["name", "country", "currency", "industry", "segment", "payment_term"]


@dataclass
class Records:
    """The records of all files, one frame per kind of record."""

    customers: pl.DataFrame
    documents: pl.DataFrame
    allocations: pl.DataFrame
    rates: pl.DataFrame
    row_customers: pl.DataFrame

    def without(self, rejected: pl.DataFrame) -> Records:
        return Records(*(without_rows(frame, rejected) for frame in self.frames()))

    def frames(self) -> tuple[pl.DataFrame, ...]:
        return (self.customers, self.documents, self.allocations, self.rates, self.row_customers)


@dataclass
class Outcome:
    """The accepted records, every problem, and the company currency the import works in.

    ``blocked`` when a problem of the whole file set (no company currency) forbids any write.
    """

    accepted: Records
    problems: pl.DataFrame
    company: CompanyCurrency
    blocked: bool = False


def _stack(frames: list[pl.DataFrame | None], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    present = [frame.select(list(schema)).cast(schema) for frame in frames if frame is not None]  # type: ignore[arg-type]
    return pl.concat(present, how="vertical") if present else pl.DataFrame(schema=schema)


def combine(files: Sequence[LoadedFile]) -> tuple[Records, pl.DataFrame]:
    """Stack the records of every file; also return the problems the files found on their own."""
    records = [loaded.records for loaded in files]
    return (
        Records(
            _stack([item.customers for item in records], CUSTOMER_SCHEMA),
            _stack([item.documents for item in records], DOCUMENT_SCHEMA),
            _stack([item.allocations for item in records], ALLOCATION_SCHEMA),
            _stack([item.rates for item in records], RATE_SCHEMA),
            _stack([item.row_customers for item in records], CUSTOMER_SCHEMA),
        ),
        concat_problems([item.problems for item in records]),
    )


def _conflicts(records: Records, names: Sequence[str]) -> pl.DataFrame:
    """Rows of any file that share a natural key but differ in content."""
    allocation = pl.format(
        "allocation of {} to {} on {}",
        document_name("source_kind", "source_number", "source_instalment"),
        document_name("target_kind", "target_number", "target_instalment"),
        pl.col("allocation_date"),
    )
    rate = pl.format("rate of {} on {}", pl.col("currency"), pl.col("rate_date"))
    # frame, natural key, content, field reported, description of the record
    rules = [
        (
            records.customers,
            ["code"],
            CUSTOMER_CONTENT,
            "customer_code",
            pl.format("customer {}", pl.col("code")),
        ),
        (
            records.documents,
            DOCUMENT_KEY,
            DOCUMENT_CONTENT,
            "number",
            document_name("kind", "number", "instalment"),
        ),
        (records.allocations, ALLOCATION_KEY, ["amount_minor", "currency"], "allocation_amount", allocation),
        (records.rates, ["currency", "rate_date"], ["rate"], "rate", rate),
    ]
    return concat_problems([conflicting_duplicates(*rule, names) for rule in rules])


def _with_instalments(
    all_records: Records, problems: pl.DataFrame, state: StoredState, base: DiscountBase
) -> tuple[Records, pl.DataFrame]:
    """Expand the invoices without a due date into their instalments (rows still accepted only)."""
    rejected = rejected_rows(problems)
    accepted = all_records.documents.pipe(without_rows, rejected)
    accepted_rows = accepted.select("_file", "_row").unique()
    refused = all_records.documents.join(accepted_rows, on=["_file", "_row"], how="anti")
    terms = customer_terms(all_records.customers.pipe(without_rows, rejected), state.customer_terms)
    settled = settlement_rows(all_records.allocations, all_records.documents)
    expanded, found = expand_instalments(accepted, terms, state.invoice_terms, settled, base)
    documents = pl.concat([refused, expanded], how="vertical")
    return replace(all_records, documents=documents), found


def check_batch(
    all_records: Records,
    problems: pl.DataFrame,
    state: StoredState,
    configured: str | None,
    names: Sequence[str],
    discount_base: DiscountBase = DiscountBase.GROSS,
) -> Outcome:
    """Run the checks across files and against ``state``; return what may be written."""
    all_records, expansion_problems = _with_instalments(all_records, problems, state, discount_base)
    problems = concat_problems([problems, expansion_problems])
    found = [problems, _conflicts(all_records.without(rejected_rows(problems)), names)]
    current = all_records.without(rejected_rows(concat_problems(found)))
    currencies = current.documents.get_column("currency").drop_nulls().unique().to_list()
    company = decide_company_currency(state.company_currency, configured, currencies)
    if company.problem is not None:
        first = int(current.documents.get_column("_file").min() or 0)  # type: ignore[arg-type]
        found.append(company_currency_problem(company, first))
        return Outcome(current, concat_problems(found), company, blocked=True)
    found.append(rate_problems(current.rates, company.code))
    rates = known_rates(current.rates, state.rates)
    documents, fx_problems = resolve_fx(current.documents, company.code, rates)
    found.append(fx_problems)
    resolved = Records(
        current.customers, documents, current.allocations, current.rates, current.row_customers
    )
    rejected = rejected_rows(concat_problems(found))
    found.extend(_dependent_problems(all_records, resolved, rejected, state, names))
    accepted = resolved.without(rejected_rows(concat_problems(found)))
    return Outcome(accepted, concat_problems(found), company)


def _dependent_problems(
    all_records: Records, resolved: Records, rejected: pl.DataFrame, state: StoredState, names: Sequence[str]
) -> list[pl.DataFrame]:
    """Customer references and allocation rules, repeated while rejecting rows changes the ledger.

    Problems on rows that carry documents stay once found, because dropping those documents
    changes what later passes see. Problems on allocation rows come from the final pass only.
    """
    document_rows = all_records.documents.select("_file", "_row").unique()
    kept: list[pl.DataFrame] = []
    while True:
        current = resolved.without(rejected)
        known = pl.concat(
            [
                state.customer_codes,
                current.customers.get_column("code"),
                current.row_customers.get_column("code"),
            ]
        )
        rejected_customers = all_records.customers.join(rejected, on=["_file", "_row"], how="semi")
        customer_found = customer_problems(current.documents, known, rejected_customers, names)
        current = current.without(rejected_rows(customer_found))
        rejected_documents = all_records.documents.filter(
            pl.col("kind").is_not_null() & pl.col("number").is_not_null()
        )
        rejected_documents = rejected_documents.join(
            current.documents.select("_file", "_row"), on=["_file", "_row"], how="anti"
        )
        rule_found = allocation_problems(
            current.allocations,
            current.documents,
            state.documents,
            state.allocations,
            rejected_documents,
            names,
        )
        pass_problems = concat_problems([customer_found, rule_found])
        newly = rejected_rows(pass_problems).join(rejected, on=["_file", "_row"], how="anti")
        carrying = newly.join(document_rows, on=["_file", "_row"], how="semi")
        if carrying.is_empty():
            return [*kept, pass_problems]
        kept.append(pass_problems.join(carrying.rename({"_row": "row"}), on=["_file", "row"], how="semi"))
        rejected = pl.concat([rejected, carrying], how="vertical")
