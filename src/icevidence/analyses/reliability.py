"""Agreement coefficients computed from counted coding patterns, vectorised over bootstrap replicates.

A *pattern* is what the coders did with one unit: one value per coder (a category index, or -1
when that coder did not code the unit's document). A comparison with millions of units (every
character of every transcript) has only a handful of distinct patterns, so each coefficient is
computed from (patterns, weights): the weight of a pattern is how many units show it. Replicates of a
bootstrap are just other weights, so a thousand replicates cost one matrix product.

* Krippendorff's alpha (nominal; any number of coders; missing values allowed) from the coincidence
  matrix, as in Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §C. The
  ``krippendorff`` package (pinned) is the reference implementation: the tests check that both give
  the same value on the published example and on random data; the package cannot weight units.
* Cohen's kappa for two coders; the point estimate comes from statsmodels' ``cohens_kappa``, the
  replicates from the same formula, vectorised (the tests check they agree).
* Percent agreement: the share of units coded by at least two coders on which all of them agree.
"""
from __future__ import annotations

import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa

MISSING = -1


def value_counts(patterns: np.ndarray, categories: int) -> np.ndarray:
    """Per pattern, how many coders gave each category (patterns × categories)."""
    patterns = np.asarray(patterns)
    return np.stack([(patterns == v).sum(axis=1) for v in range(categories)], axis=1).astype(float)


def nominal_alpha(patterns: np.ndarray, weights: np.ndarray, categories: int = 2) -> np.ndarray:
    """Krippendorff's nominal alpha of weighted patterns; weights may carry leading replicate axes."""
    counts = value_counts(patterns, categories)
    pairable = counts.sum(axis=1)
    scale = np.where(pairable > 1, 1.0 / np.maximum(pairable - 1, 1), 0.0)
    contribution = (counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(categories)) \
        * scale[:, None, None]
    coincidences = np.tensordot(np.asarray(weights, float), contribution, axes=([-1], [0]))
    marginals = coincidences.sum(axis=-1)
    total = marginals.sum(axis=-1)
    observed = total - np.trace(coincidences, axis1=-2, axis2=-1)
    expected = total ** 2 - (marginals ** 2).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (total - 1.0) * observed / expected
    return np.where(expected > 0, alpha, np.nan)


def kappa_tables(patterns: np.ndarray, weights: np.ndarray, categories: int = 2) -> np.ndarray:
    """Two coders' agreement tables (categories × categories) of weighted patterns both coded."""
    patterns = np.asarray(patterns)
    both = (patterns[:, 0] >= 0) & (patterns[:, 1] >= 0)
    cell = np.where(both, patterns[:, 0] * categories + patterns[:, 1], 0)
    onehot = np.zeros((len(patterns), categories * categories))
    onehot[np.arange(len(patterns)), cell] = both
    tables = np.tensordot(np.asarray(weights, float), onehot, axes=([-1], [0]))
    return tables.reshape(*tables.shape[:-1], categories, categories)


def kappa_from_tables(tables: np.ndarray) -> np.ndarray:
    """Cohen's kappa of agreement tables (any leading axes): (p_o - p_e) / (1 - p_e)."""
    total = tables.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(tables, axis1=-2, axis2=-1) / total
        chance = (tables.sum(axis=-1) * tables.sum(axis=-2)).sum(axis=-1) / total ** 2
        kappa = (observed - chance) / (1.0 - chance)
    return np.where((total > 0) & (chance < 1), kappa, np.nan)


def cohen_kappa(table: np.ndarray) -> float:
    """Cohen's kappa of one agreement table, by statsmodels; NaN when it is undefined (no variation)."""
    table = np.asarray(table, float)
    total = table.sum()
    chance = (table.sum(axis=1) * table.sum(axis=0)).sum() / total ** 2 if total else 1.0
    if total == 0 or chance >= 1:
        return float("nan")
    return float(cohens_kappa(table, return_results=False))


def percent_agreement(patterns: np.ndarray, weights: np.ndarray, coded_only: bool = False) -> np.ndarray:
    """Per cent of units coded by at least two coders on which all present values agree.

    With ``coded_only``, only units where at least one coder gave a value other than 0 (applied the
    code) count: MAXQDA's percentage, which leaves out the units where every coder left the code off.
    """
    patterns = np.asarray(patterns)
    present = patterns >= 0
    pairable = (present.sum(axis=1) >= 2) & ((patterns > 0).any(axis=1) if coded_only else True)
    high = np.where(present, patterns, -10).max(axis=1)
    low = np.where(present, patterns, 10**9).min(axis=1)
    agree = pairable & (high == low)
    weights = np.asarray(weights, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 100.0 * (weights @ agree) / (weights @ pairable)
    return np.where(weights @ pairable > 0, share, np.nan)


def pairable_units(patterns: np.ndarray, weights: np.ndarray) -> float:
    """How many units at least two coders coded."""
    return float(np.asarray(weights, float) @ ((np.asarray(patterns) >= 0).sum(axis=1) >= 2))


def interval(replicates: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of bootstrap replicates, ignoring replicates where the coefficient is undefined."""
    values = np.asarray(replicates, float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)
