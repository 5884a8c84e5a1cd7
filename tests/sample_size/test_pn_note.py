"""PNResult.ci_note: the c1 interval says in words when it may cover less than its level."""

import numpy as np

from infodiv.sample_size import PNCriterion


def test_note_on_skewed_data_under_the_normal_model():
    # Gamma(3) data: skewness 2/sqrt(3) and excess kurtosis 2, so the normal model's c1 is far
    # above p/2 = 1 (true c1 = 1 + excess kurtosis / 4 * ... > 1), and the note must appear.
    x = np.random.default_rng(5).gamma(3.0, 1.0, 400)
    pn = PNCriterion(family="normal", ci_method="delta").fit(x)
    note = pn.result_.ci_note
    assert "cover less" in note and "400 rows" in note
    summary = pn.summary()
    assert summary.loc["c1", "ci_note"] == note
    assert summary.loc["risk", "ci_note"] == ""
    assert note in repr(pn.result_)


def test_misspecified_is_a_two_se_test_of_c1_equal_p_over_2():
    rng = np.random.default_rng(6)
    gamma = PNCriterion(family="normal", ci_method="delta").fit(rng.gamma(3.0, 1.0, 3000))
    r = gamma.result_
    assert r.misspecified == (abs(r.c1 - 1.0) > 2 * r.c1_se) and r.misspecified
    assert "does not fit" in r.ci_note


def test_no_note_for_bounded_families_or_large_samples():
    rng = np.random.default_rng(7)
    big = PNCriterion(family="normal", ci_method="delta").fit(rng.gamma(3.0, 1.0, 6000))
    assert big.result_.misspecified and big.result_.ci_note == ""
    assert "ci_note" not in big.summary().columns
    bern = PNCriterion(family="bernoulli", ci_method="delta").fit(rng.integers(0, 2, 100))
    assert bern.result_.ci_note == ""
