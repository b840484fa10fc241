"""Everything a reader sees: one renderer per format (HTML, CSV, XLSX, DOCX, PDF, figures), one escaping
boundary, and one view per analysis; reports and appendices are rendered from the same result objects."""
from pathlib import Path

# The appendix's PDF layout, named here so the build's cache check needs no renderer imported.
APPENDIX_TEMPLATE = Path(__file__).with_name("appendix.typ")
