"""The results contract of ``infodiv.core`` as one checker, shared by every test package."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from infodiv.core import ConfidenceInterval, ResultBase

LEAD = ["estimate", "se", "ci_low", "ci_high"]
TESTS = ["statistic", "df", "pvalue"]


def _is_scalar(v) -> bool:
    return isinstance(v, numbers.Real | np.floating | np.integer)


def check_result_contract(res) -> None:
    """Assert that ``res`` honours the contract; the message says which clause fails."""
    assert isinstance(res, ResultBase), f"{type(res).__name__} does not derive from ResultBase"
    name = type(res).__name__
    est, se = res.estimate, res.se
    params, bse = res.params, res.bse
    assert isinstance(params, pd.Series) and isinstance(bse, pd.Series), name
    assert params.index.equals(bse.index), f"{name}: params and bse on different indexes"
    ci = res.conf_int()
    assert isinstance(ci, ConfidenceInterval), f"{name}.conf_int() is not a ConfidenceInterval"
    low, high = ci
    assert low is ci.low and high is ci.high
    if _is_scalar(est):
        assert _is_scalar(se), f"{name}: scalar estimate with non-scalar se"
        assert _is_scalar(low) and _is_scalar(high), f"{name}: scalar result, non-scalar CI"
        assert len(params) == 1 and params.iloc[0] == est or (np.isnan(est) and len(params) == 1)
        assert not (low > high), f"{name}: CI low above high"
        if hasattr(res, "pvalue"):
            assert _is_scalar(res.pvalue), f"{name}: scalar result with non-scalar pvalue"
    else:
        assert isinstance(est, pd.Series), f"{name}: vector estimate must be a Series"
        assert est.index.equals(params.index), f"{name}: estimate and params differ"
        for part in (low, high):
            assert isinstance(part, pd.Series), f"{name}: vector CI bounds must be Series"
            assert part.index.equals(params.index), f"{name}: CI not aligned with params"
    # alpha is accepted and a narrower level gives a narrower (or equal) interval
    wide = res.conf_int(0.01)
    assert isinstance(wide, ConfidenceInterval)
    summary = res.summary()
    assert isinstance(summary, pd.DataFrame), f"{name}.summary() is not a DataFrame"
    cols = list(summary.columns)
    assert cols[:4] == LEAD, f"{name}.summary() starts {cols[:4]}, not {LEAD}"
    present = [c for c in TESTS if c in cols]
    assert cols[4 : 4 + len(present)] == present, f"{name}.summary(): tests columns misplaced"
    assert isinstance(res.to_frame(), pd.DataFrame), f"{name}.to_frame()"
    text = repr(res)
    assert text and " object at 0x" not in text, f"{name} has no readable repr"
    page = res._repr_html_()
    assert isinstance(page, str) and "<table" in page, f"{name}._repr_html_()"
