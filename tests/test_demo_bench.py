"""The benchmark run: sizes, child-process steps and the Markdown page with its targets."""

from datetime import date

import pytest

from receivables.demo.bench import SizeResult, StepResult, parse_sizes, run_step, size_label
from receivables.demo.bench_doc import BenchPage, render_section
from receivables.demo.machine import Machine, describe_machine
from receivables.services.bench_page import replace_section

MACHINE = Machine("Test CPU", 2, 24.0, "Debian", "3.11.2", "2.1.0", "3.40.1", "15.20")


def size_result(size, rows, postgres_import, report, end_to_end, peak):
    """A finished size with the given measurements, as the bench run records them."""
    return SizeResult(
        size,
        {
            "generate": StepResult("generate", {"rows": {"documents": rows}}),
            "postgres_import": StepResult("import", {"seconds": postgres_import}),
            "postgres_report": StepResult(
                "report",
                {
                    "load_seconds": 1.0,
                    "report_seconds": report,
                    "trend_seconds": 0.5,
                    "end_to_end_seconds": end_to_end,
                },
                peak_rss_bytes=peak,
            ),
        },
    )


@pytest.mark.parametrize(
    ("text", "sizes"),
    [("100k,1M,10M", [100_000, 1_000_000, 10_000_000]), ("1500", [1_500]), (" 2.5M ", [2_500_000])],
)
def test_sizes_parsed(text, sizes):
    assert parse_sizes(text) == sizes


@pytest.mark.parametrize("text", ["", "ten", "1G", "0"])
def test_invalid_sizes_rejected(text):
    with pytest.raises(ValueError, match="invalid size"):
        parse_sizes(text)


@pytest.mark.parametrize(
    ("size", "label"), [(100_000, "100k"), (10_000_000, "10M"), (1_500, "1.5k"), (123, "123")]
)
def test_size_labels(size, label):
    assert size_label(size) == label


def test_step_measures_child_process(tmp_path):
    result = run_step("generate", {"size": 200, "seed": 1, "directory": str(tmp_path)})

    assert result.ok
    assert result.peak_rss_bytes > 10 * 2**20
    assert result.values["as_of"] == "2024-12-31"
    assert result.load_average is not None
    assert (tmp_path / "documents.csv").is_file()


def test_failed_step_keeps_error():
    result = run_step("generate", {"size": 0, "seed": 1, "directory": "/nonexistent/place"})

    assert not result.ok
    assert "exit code 1" in result.error
    assert "ValueError" in result.error


def test_targets_met_at_ten_million():
    results = [size_result(10_000_000, 30_000_000, 50.0, 0.8, 9.0, 3 * 10**9)]
    page = render_section(results, BenchPage(MACHINE, date(2025, 1, 2), "receivables bench --sizes 10M"))

    assert "| import into PostgreSQL >= 400,000 rows/s | 600,000 rows/s at 10M | met |" in page
    assert "| aging and all metrics for 10M invoices <= 1 s once loaded | 0.80 s | met |" in page
    assert "| the same <= 10 s end to end from PostgreSQL | 9.00 s | met |" in page
    assert "| peak memory <= 4 GB at 10M invoices | 3.00 GB | met |" in page


def test_targets_missed_said_plainly():
    results = [size_result(10_000_000, 30_000_000, 100.0, 2.5, 31.0, 5 * 10**9)]
    page = render_section(results, BenchPage(MACHINE, date(2025, 1, 2), "receivables bench"))

    assert "| 300,000 rows/s at 10M | not met |" in page
    assert "| 2.50 s | not met |" in page
    assert "| 31.00 s | not met |" in page
    assert "| 5.00 GB | not met |" in page


def test_targets_without_ten_million():
    results = [size_result(100_000, 300_000, 1.0, 0.1, 1.0, 10**9)]
    page = render_section(
        results, BenchPage(MACHINE, date(2025, 1, 2), "receivables bench", ["10M left out"])
    )

    assert "| aging and all metrics for 10M invoices <= 1 s once loaded | n/a | not measured |" in page
    assert "- 10M left out" in page
    assert "| 100k | 300,000 | n/a | 300,000 |" in page


def test_report_in_memory_marked():
    memory = StepResult("memory_report", {"report_seconds": 0.9, "trend_seconds": 2.0})
    results = [SizeResult(10_000_000, {"memory_report": memory})]
    page = render_section(results, BenchPage(MACHINE, date(2025, 1, 2), "receivables bench"))

    assert "| 10M | n/a | n/a | n/a | n/a | n/a | 0.90 (in memory) | 2.00 (in memory) | n/a | n/a |" in page
    assert "| 0.90 s (in memory) | met |" in page
    assert "| peak memory <= 4 GB at 10M invoices | n/a | not measured |" in page


def test_memory_report_step_runs():
    params = {"size": 300, "seed": 2, "as_of": "2024-12-31", "company_currency": "EUR"}
    result = run_step("memory_report", params)

    assert result.ok, result.error
    assert result.values["documents"] > 300
    assert result.values["open_items"] > 0


def test_failed_step_listed_in_notes():
    result = SizeResult(1_000, {"generate": StepResult("generate", error="exit code 1: MemoryError")})
    result.skipped.append("sqlite_import")
    page = render_section([result], BenchPage(MACHINE, date(2025, 1, 2), "receivables bench"))

    assert "- 1k, step generate failed: `exit code 1: MemoryError`" in page
    assert "- 1k, step sqlite_import did not run because an earlier step failed." in page


OTHER_SECTION = "## Cash application matching\n\nTime: 5.00 s.\n"
OLD_SECTION = "## Ledger import and report\n\nold figures\n\n### Results\n\nold table\n"
NEW_SECTION = "## Ledger import and report\n\nnew figures\n"


def test_section_replaced_in_place():
    page = f"# Benchmarks\n\n{OLD_SECTION}\n{OTHER_SECTION}"

    assert replace_section(page, NEW_SECTION, first=True) == f"# Benchmarks\n\n{NEW_SECTION}\n{OTHER_SECTION}"


def test_section_added_before_others():
    page = f"# Benchmarks\n\n{OTHER_SECTION}"

    assert replace_section(page, NEW_SECTION, first=True) == f"# Benchmarks\n\n{NEW_SECTION}\n{OTHER_SECTION}"


def test_section_starts_empty_page():
    assert replace_section("", NEW_SECTION, first=True) == f"# Benchmarks\n\n{NEW_SECTION}"


def test_machine_described():
    machine = describe_machine(None)

    assert machine.cores >= 1
    assert machine.memory_gib > 0
    assert machine.postgres is None
    assert machine.sqlite.count(".") == 2
