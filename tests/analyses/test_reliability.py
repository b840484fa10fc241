"""Agreement coefficients from weighted patterns, checked against published examples and the reference packages."""
from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from icevidence.analyses.reliability import (
    cohen_kappa,
    interval,
    kappa_from_tables,
    kappa_tables,
    nominal_alpha,
    percent_agreement,
)

# Krippendorff K (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
# Communication, Departmental Papers 43, section C ("Nominal data, any number of observers, missing
# data"): four observers A-D value twelve units (1-5, '.' missing); the worked result is alpha = 0.743.
NAN = np.nan
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])

# Cohen J (1960) "A coefficient of agreement for nominal scales", Educational and Psychological
# Measurement 20(1): 37-46, Table 1: two judges place 200 cases in three categories; p_o = .70,
# p_c = .41, kappa = .29 / .59 = .492. Counts are the table's proportions x 200.
COHEN_1960 = np.array([[88, 10, 2], [14, 40, 6], [18, 10, 12]])


def as_patterns(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units as patterns (values 0..4, -1 missing) with weight 1 each."""
    patterns = np.where(np.isnan(data), -1, data - 1).T.astype(int)
    return patterns, np.ones(len(patterns))


def test_alpha_reproduces_krippendorff_2011_nominal_example():
    patterns, weights = as_patterns(KRIPPENDORFF_2011)
    assert nominal_alpha(patterns, weights, categories=5) == pytest.approx(0.743, abs=5e-4)


def test_alpha_equals_the_krippendorff_package_on_the_2011_example():
    patterns, weights = as_patterns(KRIPPENDORFF_2011)
    expected = krippendorff.alpha(reliability_data=KRIPPENDORFF_2011, level_of_measurement="nominal")
    assert nominal_alpha(patterns, weights, categories=5) == pytest.approx(expected, rel=1e-12)


def test_weighted_alpha_equals_the_package_on_the_expanded_units():
    rng = np.random.default_rng(7)
    patterns = rng.integers(-1, 2, size=(9, 3))
    weights = rng.integers(1, 6, size=9)
    expanded = np.repeat(patterns, weights, axis=0).T.astype(float)
    expanded[expanded < 0] = np.nan
    expected = krippendorff.alpha(reliability_data=expanded, level_of_measurement="nominal")
    assert nominal_alpha(patterns, weights) == pytest.approx(expected, rel=1e-12)


def test_replicate_weights_give_one_alpha_each():
    patterns, weights = as_patterns(KRIPPENDORFF_2011)
    stacked = np.stack([weights, weights * 2])
    alphas = nominal_alpha(patterns, stacked, categories=5)
    assert alphas.shape == (2,) and alphas[0] == pytest.approx(0.743, abs=5e-4)


def test_kappa_reproduces_cohen_1960_table_1():
    assert cohen_kappa(COHEN_1960) == pytest.approx(0.29 / 0.59, abs=1e-3)


def test_vectorised_kappa_equals_statsmodels():
    tables = np.array([[[20, 5], [10, 15]], [[3, 7], [1, 30]]], dtype=float)
    expected = [cohens_kappa(t, return_results=False) for t in tables]
    assert kappa_from_tables(tables) == pytest.approx(expected, rel=1e-12)


def test_kappa_tables_count_only_units_both_coded():
    patterns = np.array([[1, 1], [1, 0], [0, -1], [0, 0]])
    table = kappa_tables(patterns, np.array([2.0, 1.0, 5.0, 3.0]))
    assert table.tolist() == [[3.0, 0.0], [1.0, 2.0]]


def test_perfect_agreement_gives_one():
    patterns = np.array([[1, 1], [0, 0]])
    weights = np.array([4.0, 6.0])
    assert nominal_alpha(patterns, weights) == pytest.approx(1.0)
    assert cohen_kappa(kappa_tables(patterns, weights)) == pytest.approx(1.0)


def test_no_variation_leaves_the_coefficients_undefined():
    patterns = np.array([[1, 1]])
    assert np.isnan(nominal_alpha(patterns, np.array([5.0])))
    assert np.isnan(cohen_kappa(kappa_tables(patterns, np.array([5.0]))))


def test_percent_agreement_ignores_units_with_one_value():
    patterns = np.array([[1, 1], [1, 0], [1, -1]])
    assert percent_agreement(patterns, np.array([3.0, 1.0, 10.0])) == pytest.approx(75.0)


def test_percent_agreement_where_coded_leaves_out_units_nobody_coded():
    patterns = np.array([[1, 1], [1, 0], [0, 0]])
    assert percent_agreement(patterns, np.array([3.0, 1.0, 10.0]), coded_only=True) == pytest.approx(75.0)


def test_interval_skips_undefined_replicates():
    low, high = interval(np.array([np.nan, *np.linspace(0, 1, 101)]))
    assert (low, high) == pytest.approx((0.025, 0.975))
