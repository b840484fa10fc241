"""The one place that renders results: HTML (escaped), figures, CSV/XLSX (formulas neutralised).

Modules: html (notebook display), drilldown (matrix with links to its quotes), figures
(matplotlib/seaborn, literal labels, deterministic files), tables (CSV and XLSX writers),
escape (the escaping boundary), results (result objects owning counts, mask, notes, captions).
Nothing is imported here, so importing one module stays cheap.
"""
