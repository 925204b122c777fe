"""The matching benchmark: synthetic ground truth, scoring, and its page section."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from receivables.banking.bench import HEADING, render_section, run_bench
from receivables.banking.synthetic import generate_case
from receivables.cli.main import app
from receivables.services.bench_page import write_section


def test_same_seed_same_case() -> None:
    first = generate_case(50, 1_000, seed=7)
    second = generate_case(50, 1_000, seed=7)

    assert first.lines.equals(second.lines)
    assert first.truth == second.truth


def test_small_bench_scores_precisely() -> None:
    result = run_bench(lines=300, items=3_000, repeat=1)

    assert result.counts["transactions"] == 300
    assert result.counts["precision"] >= 0.95
    assert result.counts["applied_share"] > 0.5
    assert result.counts["unpaying"] == sum(1 for truth in _truths(300, 3_000) if not truth)
    assert result.counts["unpaying_unmatched"] == result.counts["unpaying"]


def _truths(lines: int, items: int) -> list[frozenset[int]]:
    """The ground truth of each line of the benchmark's case."""
    return list(generate_case(lines, items, seed=2024).truth.values())


def test_section_replaced_not_file(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(
        "# Benchmarks\n\nintro\n\n## Import\n\nrows\n\n" + HEADING + "\n\nold\n\n## Later\n\nkept\n"
    )

    write_section(page, HEADING + "\n\nnew\n")
    text = page.read_text()

    assert "## Import\n\nrows" in text
    assert "new" in text
    assert "old" not in text
    assert text.endswith("## Later\n\nkept\n")


def test_section_appended_when_missing(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\n## Import\n\nrows\n")

    write_section(page, HEADING + "\n\nnew\n")

    assert page.read_text() == "# Benchmarks\n\n## Import\n\nrows\n\n" + HEADING + "\n\nnew\n"


def test_bench_command_writes_section(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    result = CliRunner().invoke(
        app,
        [
            "bank",
            "bench",
            "--lines",
            "100",
            "--items",
            "1000",
            "--repeat",
            "1",
            "--output",
            str(page),
        ],
    )

    assert result.exit_code == 0
    assert page.read_text().count(HEADING) == 1


def test_rendered_table_has_measures() -> None:
    section = render_section(run_bench(lines=100, items=1_000, repeat=1), "receivables bank bench")

    assert "| precision of automatic decisions |" in section
    assert "| recall (payments applied correctly) |" in section
