"""The ## Credit section of the benchmark page replaces itself and keeps the other sections."""

from receivables.credit.bench import BenchResult
from receivables.credit.bench_doc import credit_section
from receivables.services.bench_page import write_section

PAGE = (
    "# Benchmarks\n\n## Ledger import\n\nfast\n\n## Credit\n\nold numbers\n\n"
    "## Cash application\n\nkept\n"
)


def section():
    result = BenchResult("SQLite", 10, 20, 5, 1.0, 2.0, 1.5, [1.0, 2.0, 30.0])
    return credit_section([result], "receivables credit bench", "2026-01-01", "a machine", 12)


def test_section_replaced_in_place(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(PAGE, encoding="utf-8")

    text = write_section(path, section()).read_text(encoding="utf-8")

    assert "old numbers" not in text
    assert (
        text.index("## Ledger import") < text.index("## Credit") < text.index("## Cash application")
    )
    assert text.endswith("kept\n")


def test_section_appended_when_missing(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Ledger import\n\nfast\n", encoding="utf-8")

    text = write_section(path, section()).read_text(encoding="utf-8")

    assert text.startswith("# Benchmarks\n\n## Ledger import")
    assert "## Credit" in text


def test_p95_verdict_shown():
    # Of 1, 2 and 30 ms the 95th percentile is 30 ms: over the 10 ms target.
    assert "| 30.00 | not met (p95) |" in section()
