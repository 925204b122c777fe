"""The JSON rendering: :meth:`Report.to_dict` with stable key order, two-space indented."""

from __future__ import annotations

import json

from receivables.analytics.report import Report


def render_json(report: Report) -> str:
    """Render the report as a JSON document (keys and formats in ``docs/metrics.md``)."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
