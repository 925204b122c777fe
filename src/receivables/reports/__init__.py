"""Renderings of a receivables report: Rich terminal tables, JSON and a self-contained HTML file.

Owns presentation only: labels, number formats, the SVG charts and the HTML template. Every
figure comes ready from :class:`receivables.analytics.Report`; nothing here computes an amount
or a ratio of the ledger.

May import the analytics report types, Rich and Jinja2. Must not import storage, the services
or the CLI, and never writes files or prints except to the console it is given.
"""

from receivables.reports.html import render_html
from receivables.reports.json_report import render_json
from receivables.reports.table import render_table

__all__ = ["render_html", "render_json", "render_table"]
