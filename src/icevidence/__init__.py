"""icevidence: a reproducible compendium of coded interview evidence on integrated care."""
from .reported import check_arithmetic, check_reported_counts
from .sample import sample_tables, write_sample_tables
from .study import Study, available_studies, load_study

__all__ = [
    "Study", "available_studies", "check_arithmetic", "check_reported_counts",
    "composition_figure", "load_study", "sample_tables", "write_sample_tables",
]
__version__ = "0.1.0"


def composition_figure(*args, **kwargs):
    """Bar chart of a study's participants by group (imports matplotlib only when called)."""
    from .figures import composition_figure as draw
    return draw(*args, **kwargs)
