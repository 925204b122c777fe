"""In-memory frames of a generated ledger give the same report as the imported ledger."""

from dataclasses import replace

from receivables.analytics import compute_report, load_ledger
from receivables.config import Settings
from receivables.demo.export import write_export
from receivables.demo.generator import generate_company
from receivables.demo.ledger_frames import ledger_frames
from receivables.demo.run import import_export


def test_memory_frames_match_database(engine, tmp_path):
    ledger = generate_company(seed=21, customers=15)
    export = write_export(ledger, tmp_path)
    import_export(engine, export, replace(Settings(), company_currency="EUR"))

    stored = compute_report(load_ledger(engine), as_of=ledger.as_of, company_currency="EUR")
    in_memory = compute_report(ledger_frames([ledger]), as_of=ledger.as_of, company_currency="EUR")

    assert in_memory.figures == stored.figures
    assert in_memory.top_customers == stored.top_customers
    assert in_memory.trend == stored.trend


def test_memory_frames_keep_fx_rates():
    ledger = generate_company(seed=21, customers=15)
    frames = ledger_frames([ledger])
    foreign = frames.documents.filter(frames.documents["currency"] != "EUR")

    assert frames.documents.height == ledger.documents.height
    assert frames.allocations["source_id"].null_count() == 0
    assert frames.allocations["target_id"].null_count() == 0
    assert foreign["fx_rate_scaled"].n_unique() > 1
