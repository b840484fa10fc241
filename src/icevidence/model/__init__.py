"""The data model: paths and config, errors, names, the canonical tables (Study, schemas, code tree), atomic writes."""
