"""Printable evaluation reports: Excel (one sheet per section), PDF (tables and charts), CSV and the
one-page scorecard, one module per output.

Pure functions, no Streamlit: the dashboard's download buttons and `dothixanh report` call the same
code. `data.evaluation_report_data` is the only place that queries the marts (live figures, or the
rows of a frozen snapshot, through the named queries in warehouse/queries/); the other modules only
lay those rows out.

Text that came from users (group names, unit names, notes) is never written as something a
spreadsheet could run: in XLSX every text cell goes through `write_string` (and the workbook refuses
to turn strings into formulas); in CSV a text cell starting with = + - @, a tab or a carriage return
gets a leading apostrophe.

The PDF embeds DejaVu Sans from matplotlib's own data folder, so Vietnamese diacritics render on any
machine where the package installs, with no system font needed; the charts are drawn with matplotlib
(Agg, same font) as PNG.
"""

from kernel.labels import label
from services.reports.charts import indicators_chart_png, league_chart_png
from services.reports.csv import BOM, csv_bytes, neutralise
from services.reports.data import ReportData, evaluation_report_data
from services.reports.pdf import to_pdf
from services.reports.wording import fmt_date, fmt_number, fmt_value, tier_colours
from services.reports.xlsx import to_xlsx

__all__ = [
    "BOM",
    "ReportData",
    "csv_bytes",
    "evaluation_report_data",
    "fmt_date",
    "fmt_number",
    "fmt_value",
    "indicators_chart_png",
    "label",
    "league_chart_png",
    "neutralise",
    "tier_colours",
    "to_pdf",
    "to_xlsx",
]
