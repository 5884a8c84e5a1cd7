"""The report's fair-lending section (cut-off metrics and less discriminatory alternatives)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from infodiv.fairness import FairnessFrontier
from infodiv.reporting import Report
from infodiv.reporting._lenders import lenders_section


def test_section_tables_match_hand_counts_and_write(tmp_path):
    rng = np.random.default_rng(0)
    n = 3000
    g = rng.choice(["f", "m"], n)
    x = rng.normal(size=n)
    y = rng.binomial(1, 1 / (1 + np.exp(-(x - 1))))
    X = pd.DataFrame({"x": x, "z": rng.normal(size=n), "sex": g})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ff = FairnessFrontier(protected="sex", n_points=2, max_features=2, random_state=0)
        ff.fit(X, y)
    scores = 600 - 20 * x + 3 * (g == "m")
    sec = lenders_section(scores, {"sex": g}, y, frontier=ff, approval_rates=(0.5, 0.8))
    t = sec.tables["Cut-off metrics (holdout): sex"]
    assert list(t["target_approval_rate"]) == [0.5, 0.8]
    for _, row in t.iterrows():
        c = row["cutoff"]
        rates = {k: (scores[g == k] >= c).mean() for k in ("f", "m")}
        ref = max(rates, key=rates.get)  # reference="highest"
        other = "f" if ref == "m" else "m"
        assert row["reference"] == ref and row["group"] == other
        assert row["air"] == pytest.approx(rates[other] / rates[ref])
    alt = sec.tables["Less discriminatory alternatives"]
    assert bool(alt.loc[0, "retained"]) and 0 in sec.data["alternatives_retained"]
    rep = Report("t")
    rep.add(sec)
    written = rep.write(tmp_path, ("md", "json"))
    assert "Less discriminatory alternatives" in written["md"].read_text()


def test_section_without_frontier_has_no_alternatives():
    rng = np.random.default_rng(1)
    g = rng.choice(["a", "b", "c"], 900)
    s = rng.normal(size=900)
    y = rng.binomial(1, 0.2, 900)
    sec = lenders_section(s, {"grp": g}, y)
    assert "Less discriminatory alternatives" not in sec.tables
    t = sec.tables["Cut-off metrics (holdout): grp"]
    assert len(t) == 3 * 2  # three rates x two non-reference groups
