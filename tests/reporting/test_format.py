"""Numbers for people (infodiv.reporting._format), against hand-written expected strings."""

import math

import numpy as np
import pandas as pd
import pytest

from infodiv.reporting import (
    Report,
    Section,
    format_count,
    format_estimate,
    format_interval,
    format_percent,
    format_pvalue,
    format_table,
    snake,
    table_json,
)


@pytest.mark.parametrize(
    "value,text",
    [
        (10320, "10,320"),
        (10320.0, "10,320"),
        (1032.0, "1,032"),
        (7, "7"),
        (0, "0"),
        (-1234567, "-1,234,567"),
        (1234.5, "1,234.50"),  # a sum of weights
        (np.int64(99999), "99,999"),
        (math.nan, ""),
        (None, ""),
        (math.inf, ""),
    ],
)
def test_counts(value, text):
    assert format_count(value) == text


@pytest.mark.parametrize(
    "value,text",
    [
        (0.123456, "0.1235"),
        (0.1, "0.1000"),
        (1.0, "1.000"),
        (9.99951, "10.00"),  # rounding carries into the next magnitude
        (123.456, "123.5"),
        (12345.6, "12,346"),
        (99999.4, "99,999"),
        (999999.4, "1.000e+06"),  # 4 significant digits: 1.000e6, past the fixed range
        (1.5e7, "1.500e+07"),
        (0.000123456, "0.0001235"),
        (0.0000123456, "1.235e-05"),
        (-0.0254, "-0.02540"),
        (0.0, "0"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (math.nan, ""),
        (np.float32(0.5), "0.5000"),
    ],
)
def test_estimates_have_four_significant_digits(value, text):
    assert format_estimate(value) == text


def test_estimates_with_three_digits():
    assert format_estimate(0.123456, digits=3) == "0.123"
    assert format_estimate(2.5, digits=3) == "2.50"


@pytest.mark.parametrize(
    "value,text",
    [
        (0.0, "<0.001"),
        (1e-300, "<0.001"),
        (0.000999, "<0.001"),
        (0.001, "0.001"),
        (0.0123, "0.012"),
        (0.05, "0.050"),
        (1.0, "1.000"),
        (math.nan, ""),
    ],
)
def test_pvalues(value, text):
    assert format_pvalue(value) == text


def test_intervals_and_percentages():
    assert format_interval(0.70213, 0.73391) == "[0.7021, 0.7339]"
    assert format_interval(-math.inf, 2.0) == "[-inf, 2.000]"
    assert format_interval(math.nan, math.nan) == ""
    assert format_interval(1234.5, 23456.7) == "[1,234, 23,457]"  # 4 digits: 1234.5 -> 1,234
    assert format_percent(0.02216) == "2.22%"
    assert format_percent(0.5) == "50.0%"


def test_format_table_joins_intervals_and_reads_columns_by_kind():
    df = pd.DataFrame(
        {
            "estimate": [0.123456, 12.0],
            "ci_low": [0.1, 10.0],
            "ci_high": [0.15, 14.0],
            "woe_ci_low": [-0.5, 0.2],
            "woe_ci_high": [0.5, 0.4],
            "count": [10320.0, 7.0],
            "pvalue": [1e-9, 0.2512],
            "pvalue_holm": [0.0004, 1.0],
        }
    )
    t = format_table(df)
    assert list(t.columns) == ["estimate", "ci", "woe_ci", "count", "pvalue", "pvalue_holm"]
    assert t.iloc[0].tolist() == [
        "0.1235",
        "[0.1000, 0.1500]",
        "[-0.5000, 0.5000]",
        "10,320",
        "<0.001",
        "<0.001",
    ]
    assert t.iloc[1].tolist() == [
        "12.00",
        "[10.00, 14.00]",
        "[0.2000, 0.4000]",
        "7",
        "0.251",
        "1.000",
    ]


def test_snake_keys_and_typed_json_columns():
    assert snake("PSI: holdout vs development") == "psi_holdout_vs_development"
    assert snake("Event Rate") == "event_rate" and snake("2nd") == "x2nd"
    df = pd.DataFrame(
        {
            "Bin Label": ["a", None],
            "count": [3.0, 4.0],
            "share": [0.5, np.nan],
            "ok": [True, False],
        },
        index=pd.Index(["f1", "f2"], name="feature"),
    )
    j = table_json(df, "T", "cap")
    assert j["columns"] == [
        {"name": "feature", "type": "string"},
        {"name": "bin_label", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "share", "type": "number"},
        {"name": "ok", "type": "boolean"},
    ]
    assert j["records"][0] == {
        "feature": "f1",
        "bin_label": "a",
        "count": 3,
        "share": 0.5,
        "ok": True,
    }
    assert j["records"][1] == {
        "feature": "f2",
        "bin_label": None,
        "count": 4,
        "share": None,
        "ok": False,
    }


def test_thresholds_statuses_and_errors():
    # the one threshold system (credit.DEFAULT_THRESHOLDS), read by the report's summary; the
    # expected statuses are the documented rules (docs/validation.md), by hand
    from infodiv.credit import DEFAULT_THRESHOLDS, check_thresholds
    from infodiv.reporting._summary import status

    th = check_thresholds()
    assert th == DEFAULT_THRESHOLDS
    assert [status(p, "pvalue", th) for p in (0.2, 0.05, 0.03, 0.01, 0.005)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
    ]
    assert [status(a, "auc", th) for a in (0.75, 0.70, 0.65, 0.55)] == [
        "green",
        "green",
        "amber",
        "red",
    ]
    assert [status(v, "psi", th) for v in (0.05, 0.10, 0.2, 0.25)] == [
        "green",
        "amber",
        "amber",
        "red",
    ]
    assert [status(v, "fairness", th) for v in (0.01, 0.02, 0.05, 0.1)] == [
        "green",
        "amber",
        "amber",
        "red",
    ]
    assert status(math.nan, "pvalue", th) == "info"
    assert check_thresholds({"psi": (0.1, 0.2)})["psi"] == (0.1, 0.2)
    with pytest.raises(ValueError, match="unknown name"):
        check_thresholds({"nope": (1, 2)})
    with pytest.raises(ValueError, match="red must be >= amber"):
        check_thresholds({"psi": (0.3, 0.2)})
    with pytest.raises(ValueError, match="pair"):
        check_thresholds({"psi": 0.2})


def test_reporting_has_no_duplicate_of_the_credit_statistics():
    import infodiv.reporting as rep

    for name in ("hosmer_lemeshow", "jeffreys_interval", "Thresholds"):
        assert not hasattr(rep, name) and name not in rep.__all__


def test_jeffreys_interval_is_the_beta_quantiles():
    from scipy import stats

    from infodiv.credit import jeffreys_interval, jeffreys_test

    lo, hi = jeffreys_interval([0, 5, 10], [10, 10, 10], alpha=0.1)
    # k = 0: lower end 0; k = n: upper end 1 (the convention); else Beta(k+1/2, n-k+1/2)
    assert lo[0] == 0.0 and hi[2] == 1.0
    assert lo[1] == pytest.approx(stats.beta.ppf(0.05, 5.5, 5.5))
    assert hi[1] == pytest.approx(stats.beta.ppf(0.95, 5.5, 5.5))
    assert hi[0] == pytest.approx(stats.beta.ppf(0.95, 0.5, 10.5))
    assert lo[2] == pytest.approx(stats.beta.ppf(0.05, 10.5, 0.5))
    # the Jeffreys test's interval is the same one
    ci = jeffreys_test([1] * 5 + [0] * 5, [0.3] * 10, alpha=0.1).conf_int()
    assert ci[0]["portfolio"] == pytest.approx(stats.beta.ppf(0.05, 5.5, 5.5))
    with pytest.raises(ValueError, match="defaults"):
        jeffreys_interval([3], [2])


def test_hosmer_lemeshow_by_hand():
    # two grades by hand: n = 100, 100; PD 0.1, 0.3; defaults 15, 25
    # Q = (15 - 10)^2 / (100 * 0.1 * 0.9) + (25 - 30)^2 / (100 * 0.3 * 0.7) = 25/9 + 25/21
    from scipy import stats

    from infodiv.credit import hosmer_lemeshow

    y = np.r_[np.ones(15), np.zeros(85), np.ones(25), np.zeros(75)]
    pd_ = np.r_[np.full(100, 0.1), np.full(100, 0.3)]
    g = np.r_[np.ones(100), np.full(100, 2)]
    res = hosmer_lemeshow(y, pd_, g)  # PDs fixed in advance: K = 2 degrees of freedom
    q = 25 / 9 + 25 / 21
    assert res.statistic == pytest.approx(q) and res.df == 2
    assert res.pvalue == pytest.approx(stats.chi2.sf(q, 2))
    with pytest.raises(ValueError, match="at least 3 grades"):
        hosmer_lemeshow(y, pd_, g, fitted=True)  # K - 2 = 0


def test_html_folds_tables_and_wraps_wide_ones_in_scroll_boxes():
    rep = Report("t")
    sec = rep.add(Section("s", "S"))
    sec.table("Short", pd.DataFrame({"a": [1.0]}), "A short table.")
    sec.table("Long", pd.DataFrame({"a": np.arange(30.0)}), "A long table.", folded=True)
    html = rep.to_html()
    assert html.count('<div class="scroll">') == 3  # two tables + the metadata table
    assert "<details><summary>Long (30 rows)</summary>" in html
    assert '<p class="caption">A short table.</p>' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
