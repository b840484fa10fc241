"""Everything a reader sees: one renderer per format (HTML, CSV, XLSX, DOCX, PDF, figures), one escaping
boundary, and one view per analysis; reports and appendices are rendered from the same result objects."""
