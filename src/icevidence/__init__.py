"""icevidence: a reproducible compendium of coded interview evidence on integrated care."""
from .codes import codes_without_evidence as _codes_without_evidence
from .compare import compare
from .evidence import review
from .io import read_export
from .matrix import theme_matrix
from .reported import check_arithmetic, check_reported_counts
from .sample import sample_tables, write_sample_tables
from .study import Study, available_studies, load_study

__all__ = [
    "Study", "available_studies", "check_arithmetic", "check_reported_counts",
    "codes_without_evidence", "compare", "composition_figure", "load_study", "matrix_heatmap", "read_export", "review", "theme_matrix", "sample_tables", "write_sample_tables",
]
__version__ = "0.1.0"


def composition_figure(*args, **kwargs):
    """Bar chart of a study's participants by group (imports matplotlib only when called)."""
    from .figures import composition_figure as draw
    return draw(*args, **kwargs)


def matrix_heatmap(*args, **kwargs):
    """Heatmap of a theme matrix (imports matplotlib only when called)."""
    from .figures import matrix_heatmap as draw
    return draw(*args, **kwargs)


def codes_without_evidence(study):
    """Framework codes of a study (id or Study) with no quote at or below them."""
    from .matrix import as_study
    study = as_study(study)
    return _codes_without_evidence(study.codes, study.segments)
