"""Property-based suite over the public API (issue 14, "Must show": invariances and identities).

Every property states something the mathematics guarantees, checked on data that hypothesis
draws, against the same call on transformed data or against an independent computation:

* **row order**: permuting the rows of ``X``, ``y`` and ``sample_weight`` together changes
  nothing (``iv_summary``, ``woe_table``, ``psi``, ``protected_divergence``; the
  ``StumpBinner`` + ``WoEEncoder`` transform and the ``Scorecard`` scores come back permuted);
* **column order** of ``X`` changes nothing (``iv_summary``, the encoder's bins per feature);
* **pandas index**: a target whose index is a shuffle of ``X``'s (same labels, same pairs)
  gives the aligned result; an index with other labels is refused with
  ``InvalidParameterError`` naming both arguments;
* **recoding the target**: 0/1 and ``'good'``/``'bad'`` with ``event='bad'`` give the same
  IV, WoE, bins and scores; booleans are 0/1; two strings without ``event`` are refused with a
  message naming ``event`` (functions take ``event=`` as a keyword, the estimators
  ``StumpBinner``, ``WoEEncoder`` and ``Scorecard`` as a constructor parameter);
* **few distinct values**: a column with no more distinct values than bins keeps one bin per
  value (a rare top value is not merged away);
* **strictly increasing transforms** ``a * x + b`` (``a > 0``, offsets up to 1e12, ``a`` down
  to subnormal scales): the same partition of the rows into bins and the same IV, for quantile
  bins and for ``StumpBinner``;
* **datetime units**: ``datetime64[s|ms|us|ns]`` of the same instants give the same bins and
  IV, and bins fitted in one unit give the same codes on the same instants in another unit;
* **count tables** built on two halves of the rows add up to the table of all rows (core and
  ``infodiv.scale``), and so does their IV;
* **IV = PSI(goods -> bads)** on the same bins;
* **IV by brute force**: ``sum (p_i - q_i) ln(p_i / q_i)`` from a ``pd.crosstab`` of data
  built with no empty cell, weighted and unweighted.

Example counts are kept small (the whole file runs in well under a minute on two cores).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from infodiv import (
    CountTable,
    FeatureBins,
    Scorecard,
    StumpBinner,
    WoEEncoder,
    infer_bins,
    iv_from_counts,
    iv_summary,
    protected_divergence,
    psi,
    woe_table,
    woe_tables,
)
from infodiv.exceptions import InfodivWarning, InvalidParameterError
from infodiv.scale import count_table

# data-level properties are cheap: more examples; estimator fits (xgboost, GLM) fewer
# No shrinking: the data come from seeds (nothing to shrink), and a failure is reported with
# the example that found it, so a failing property costs no more time than a passing one.
_COMMON = dict(
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
FAST = settings(max_examples=10, **_COMMON)
SLOW = settings(max_examples=3, **_COMMON)

SEEDS = st.integers(0, 2**32 - 1)
SIZES = st.integers(80, 200)
RTOL = 1e-9


# ---------------------------------------------------------------------------- data and helpers
def make_data(seed: int, n: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """A small credit-like frame: a continuous, an integer (ties) and a categorical column.

    The target depends on all three, both classes are present, weights are positive.
    """
    rng = np.random.default_rng(seed)
    income = np.round(rng.lognormal(8.0, 0.6, n), 2)
    age = rng.integers(18, 70, n)
    region = pd.Categorical(rng.choice(["north", "south", "east"], n))
    eta = -0.5 + 1.2 * (np.log(income) - 8.0) - 0.03 * (age - 40) + 0.6 * (region == "east")
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    y[0], y[1] = 0, 1  # both classes, whatever the draw
    w = np.round(rng.uniform(0.5, 2.0, n), 3)
    X = pd.DataFrame({"income": income, "age": age, "region": region})
    return X, y, w


def run(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        return fn(*args, **kwargs)


def same_frame(a: pd.DataFrame, b: pd.DataFrame, rtol: float = RTOL) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=rtol, atol=1e-12)


def same_ivs(a: pd.DataFrame, b: pd.DataFrame, rtol: float = RTOL) -> None:
    """Two ``iv_summary`` frames equal feature by feature (ties in IV may order rows apart)."""
    same_frame(a.sort_index(), b.sort_index(), rtol)


def same_bins(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for f in a:
        assert a[f] == b[f], f"bins of {f!r} differ: {a[f]} vs {b[f]}"


def names(message: str, *args: str) -> bool:
    """Whether ``message`` names every argument in ``args`` (as a word, e.g. ``y`` not ``by``)."""
    return all(re.search(rf"(?<![\w]){re.escape(a)}(?![\w])", message) for a in args)


def stump() -> StumpBinner:
    return StumpBinner(random_state=0)


def encoder(**kw) -> WoEEncoder:
    return WoEEncoder(random_state=0, **kw)


def card(**kw) -> Scorecard:
    # in-sample WoE: cross-fitting draws folds by row position, which is not row-order free
    return Scorecard(random_state=0, cross_fit=False, **kw)


# ---------------------------------------------------------------------------- row order
@FAST
@given(seed=SEEDS, n=SIZES, pseed=SEEDS)
def test_row_order_iv_summary_woe_table_psi(seed, n, pseed):
    X, y, w = make_data(seed, n)
    p = np.random.default_rng(pseed).permutation(n)
    Xp = X.iloc[p].reset_index(drop=True)
    same_ivs(
        run(iv_summary, X, y, sample_weight=w),
        run(iv_summary, Xp, y[p], sample_weight=w[p]),
    )
    for f, bins in (("income", 5), ("age", 4), ("region", None)):
        a = run(woe_table, X[f], y, bins=bins, sample_weight=w)
        b = run(woe_table, Xp[f], y[p], bins=bins, sample_weight=w[p])
        same_frame(a.table, b.table)
    half = n // 2
    e, a_ = X["income"].to_numpy()[:half], X["income"].to_numpy()[half:]
    we, wa = w[:half], w[half:]
    pe = np.random.default_rng(pseed + 1).permutation(e.size)
    pa = np.random.default_rng(pseed + 2).permutation(a_.size)
    r1 = run(psi, e, a_, bins=5, expected_weight=we, actual_weight=wa)
    r2 = run(psi, e[pe], a_[pa], bins=5, expected_weight=we[pe], actual_weight=wa[pa])
    assert r1.estimate == pytest.approx(r2.estimate, rel=RTOL, abs=1e-15)
    assert r1.se == pytest.approx(r2.se, rel=RTOL, abs=1e-15)
    same_frame(r1.table, r2.table)


@settings(max_examples=6, **_COMMON)
@given(seed=SEEDS, n=SIZES, pseed=SEEDS)
def test_row_order_protected_divergence(seed, n, pseed):
    X, y, w = make_data(seed, n)
    p = np.random.default_rng(pseed).permutation(n)
    Xp = X.iloc[p].reset_index(drop=True)
    a = run(protected_divergence, X, "region", y, sample_weight=w)
    b = run(protected_divergence, Xp, "region", y[p], sample_weight=w[p])
    same_frame(a.fairness.sort_index(), b.fairness.sort_index())
    same_frame(a.summary().sort_index(), b.summary().sort_index())


@SLOW
@given(seed=SEEDS, n=SIZES, pseed=SEEDS)
def test_row_order_stump_encoder_and_scorecard(seed, n, pseed):
    X, y, w = make_data(seed, n)
    p = np.random.default_rng(pseed).permutation(n)
    Xp = X.iloc[p].reset_index(drop=True)
    b1 = run(stump().fit, X, y, sample_weight=w)
    b2 = run(stump().fit, Xp, y[p], sample_weight=w[p])
    same_bins(b1.bins_, b2.bins_)
    np.testing.assert_array_equal(b2.transform(Xp), b1.transform(X)[p])
    e1 = run(encoder().fit, X, y, sample_weight=w)
    e2 = run(encoder().fit, Xp, y[p], sample_weight=w[p])
    same_bins(e1.bins_, e2.bins_)
    np.testing.assert_allclose(run(e2.transform, Xp), run(e1.transform, X)[p], rtol=RTOL)
    c1 = run(card().fit, X, y, sample_weight=w)
    c2 = run(card().fit, Xp, y[p], sample_weight=w[p])
    assert c1.features_ == c2.features_
    np.testing.assert_allclose(run(c2.score, Xp), run(c1.score, X)[p], rtol=1e-8, atol=1e-6)


# ---------------------------------------------------------------------------- column order
@FAST
@given(seed=SEEDS, n=SIZES, cols=st.permutations(["income", "age", "region"]))
def test_column_order_iv_summary(seed, n, cols):
    X, y, w = make_data(seed, n)
    same_ivs(run(iv_summary, X, y, sample_weight=w), run(iv_summary, X[cols], y, sample_weight=w))


@SLOW
@given(seed=SEEDS, n=SIZES, cols=st.permutations(["income", "age", "region"]))
def test_column_order_encoder_bins(seed, n, cols):
    X, y, w = make_data(seed, n)
    a = run(encoder().fit, X, y, sample_weight=w)
    b = run(encoder().fit, X[cols], y, sample_weight=w)
    same_bins(a.bins_, b.bins_)
    for f in X.columns:
        np.testing.assert_array_equal(a.woe_values_[f], b.woe_values_[f])
    Za = pd.DataFrame(run(a.transform, X), columns=list(X.columns))
    Zb = pd.DataFrame(run(b.transform, X[cols]), columns=cols)
    same_frame(Za[cols], Zb)


# ---------------------------------------------------------------------------- pandas index
def labelled(seed: int, n: int):
    """The data with string row labels; ``y`` and ``w`` as Series on the same labels."""
    X, y, w = make_data(seed, n)
    index = pd.Index([f"r{i}" for i in np.random.default_rng(seed).permutation(n)])
    X.index = index
    return X, pd.Series(y, index=index, name="default"), pd.Series(w, index=index, name="w")


def causal_data(X: pd.DataFrame, seed: int):
    """A treatment and an outcome on the rows of ``X`` (Series with its labels)."""
    rng = np.random.default_rng(seed)
    z = (np.log(X["income"].to_numpy()) - 8.0) / 0.6
    A = rng.binomial(1, 1 / (1 + np.exp(-z)))
    Y = np.clip(0.4 + 0.2 * A + 0.1 * z + 0.2 * rng.normal(size=len(X)), 0, 1)
    return X[["income", "age"]], pd.Series(A, index=X.index), pd.Series(Y, index=X.index)


def _aligned_calls():
    """name -> f(X, y, w) -> something comparable with ``same``; the calls take pandas targets."""

    def bounds(X, y, w):
        from infodiv.causal import ManskiBounds

        Xc, A, Y = causal_data(X, 0)
        est = ManskiBounds(support=(0.0, 1.0), n_folds=2, random_state=0)
        if y.index.equals(X.index):  # the aligned call
            return est.fit(Xc, A, Y).table()
        # the treatment and the outcome each in another order (y's, and its reverse)
        return est.fit(Xc, A.loc[y.index], Y.loc[y.index[::-1]]).table()

    return {
        "iv_summary": lambda X, y, w: iv_summary(X, y, sample_weight=w),
        "woe_table": lambda X, y, w: woe_table(X["income"], y, bins=5, sample_weight=w).table,
        "woe_tables": lambda X, y, w: woe_tables(X, y, bins=5, sample_weight=w)["age"].table,
        "protected_divergence": lambda X, y, w: (
            protected_divergence(X, "region", y, sample_weight=w).summary().sort_index()
        ),
        "StumpBinner": lambda X, y, w: pd.DataFrame(
            stump().fit(X, y, sample_weight=w).transform(X)
        ),
        "WoEEncoder": lambda X, y, w: pd.DataFrame(
            encoder().fit(X, y, sample_weight=w).transform(X)
        ),
        "Scorecard": lambda X, y, w: pd.DataFrame(
            {"score": card().fit(X, y, sample_weight=w).score(X)}
        ),
        "ManskiBounds": bounds,
    }


ALIGNED = _aligned_calls()
ESTIMATORS = {"StumpBinner", "WoEEncoder", "Scorecard"}


@pytest.mark.parametrize("what", list(ALIGNED))
@settings(max_examples=3, **_COMMON)
@given(seed=SEEDS, n=SIZES, pseed=SEEDS)
def test_shuffled_index_gives_the_aligned_result(what, seed, n, pseed):
    X, y, w = labelled(seed, n)
    rng = np.random.default_rng(pseed)
    # the same (label, value) pairs in other orders, one for the target, one for the weights
    ys, ws = y.iloc[rng.permutation(n)], w.iloc[rng.permutation(n)]
    call = ALIGNED[what]
    aligned = run(call, X, y, w)
    rtol = 1e-8 if what == "Scorecard" else RTOL
    same_frame(run(call, X, ys, ws), aligned, rtol)
    if what == "iv_summary":  # numpy inputs are positional
        same_frame(run(call, X, y.to_numpy(), w.to_numpy()), aligned)


REFUSED = {
    ("iv_summary", "y"): lambda X, y, w: iv_summary(X, y),
    ("iv_summary", "sample_weight"): lambda X, y, w: iv_summary(X, y, sample_weight=w),
    ("woe_table", "y"): lambda X, y, w: woe_table(X["income"], y, bins=5),
    ("woe_tables", "y"): lambda X, y, w: woe_tables(X, y),
    ("protected_divergence", "y"): lambda X, y, w: protected_divergence(X, "region", y),
    ("StumpBinner", "y"): lambda X, y, w: StumpBinner().fit(X, y),
    ("WoEEncoder", "y"): lambda X, y, w: WoEEncoder().fit(X, y),
    ("Scorecard", "y"): lambda X, y, w: Scorecard().fit(X, y),
    ("Scorecard", "sample_weight"): lambda X, y, w: Scorecard().fit(X, y, sample_weight=w),
}


@pytest.mark.parametrize("what", list(REFUSED), ids=["-".join(k) for k in REFUSED])
@settings(max_examples=3, **_COMMON)
@given(seed=SEEDS, n=SIZES, shift=st.integers(1, 50))
def test_other_index_labels_are_refused_naming_both(what, seed, n, shift):
    X, y, w = labelled(seed, n)
    other = [f"s{i}" for i in range(shift, shift + n)]  # another label set, same length
    if what[1] == "y":
        y = y.set_axis(other)
    else:
        w = w.set_axis(other)
    with pytest.raises(InvalidParameterError) as info:
        run(REFUSED[what], X, y, w)
    msg = str(info.value)
    # the argument at fault and the one it was matched against (weights: X or y)
    others = ("x",) if what[0] == "woe_table" else ("X", "y") if what[1] != "y" else ("X",)
    assert names(msg, what[1]) and any(names(msg, o) for o in others), msg


def test_causal_index_mismatch_is_refused():
    X, y, _ = labelled(1, 120)
    Xc, A, Y = causal_data(X, 0)
    from infodiv.causal import ManskiBounds

    with pytest.raises(InvalidParameterError) as info:
        run(
            ManskiBounds(support=(0.0, 1.0), n_folds=2).fit,
            Xc,
            A.set_axis([f"s{i}" for i in range(len(A))]),
            Y,
        )
    assert names(str(info.value), "A"), str(info.value)


# ---------------------------------------------------------------------------- target coding
def as_words(y: np.ndarray) -> np.ndarray:
    # 'good' > 'bad': an implicit "larger label is the event" rule picks the wrong class
    return np.where(y == 1, "bad", "good")


@FAST
@given(seed=SEEDS, n=SIZES, series=st.booleans())
def test_target_recoding_iv_summary(seed, n, series):
    X, y, w = make_data(seed, n)
    yw = as_words(y)
    yw = pd.Series(yw, index=X.index) if series else yw
    base = run(iv_summary, X, y, sample_weight=w)
    same_ivs(run(iv_summary, X, yw, event="bad", sample_weight=w), base)
    same_ivs(run(iv_summary, X, y.astype(bool), sample_weight=w), base)  # True is the event
    same_ivs(run(iv_summary, X, y, event=1, sample_weight=w), base)


@FAST
@given(seed=SEEDS, n=SIZES, f=st.sampled_from(["income", "region"]))
def test_target_recoding_woe_table(seed, n, f):
    X, y, w = make_data(seed, n)
    yw = as_words(y)
    bins = 5 if f == "income" else None
    t01 = run(woe_table, X[f], y, bins=bins, sample_weight=w)
    tw = run(woe_table, X[f], yw, bins=bins, sample_weight=w, event="bad")
    same_frame(tw.table, t01.table)
    assert tw.bins == t01.bins
    # the other class as the event: the same IV, every WoE negated
    tg = run(woe_table, X[f], yw, bins=bins, sample_weight=w, event="good")
    assert tg.iv.estimate == pytest.approx(t01.iv.estimate, rel=RTOL)
    np.testing.assert_allclose(tg.woe.to_numpy(), -t01.woe.to_numpy(), rtol=RTOL)


@settings(max_examples=6, **_COMMON)
@given(seed=SEEDS, n=SIZES)
def test_target_recoding_protected_divergence(seed, n):
    X, y, w = make_data(seed, n)
    a = run(protected_divergence, X, "region", as_words(y), event="bad")
    b = run(protected_divergence, X, "region", y)
    same_frame(a.summary().sort_index(), b.summary().sort_index())


@SLOW
@given(seed=SEEDS, n=SIZES)
def test_target_recoding_stump_binner(seed, n):
    X, y, w = make_data(seed, n)
    b01 = run(stump().fit, X, y, sample_weight=w)
    bw = run(StumpBinner(random_state=0, event="bad").fit, X, as_words(y), sample_weight=w)
    same_bins(bw.bins_, b01.bins_)
    assert bw.classes_[1] == "bad"  # classes_[1] is the event


@SLOW
@given(seed=SEEDS, n=SIZES)
def test_target_recoding_woe_encoder(seed, n):
    X, y, w = make_data(seed, n)
    e01 = run(encoder().fit, X, y, sample_weight=w)
    ew = run(encoder(event="bad").fit, X, as_words(y), sample_weight=w)
    same_bins(ew.bins_, e01.bins_)
    np.testing.assert_allclose(run(ew.transform, X), run(e01.transform, X), rtol=RTOL)


@SLOW
@given(seed=SEEDS, n=SIZES)
def test_target_recoding_scorecard(seed, n):
    X, y, w = make_data(seed, n)
    c01 = run(card().fit, X, y, sample_weight=w)
    cw = run(card(event="bad").fit, X, as_words(y), sample_weight=w)
    assert cw.features_ == c01.features_
    s = run(cw.score, X)
    np.testing.assert_allclose(s, run(c01.score, X), rtol=1e-8, atol=1e-6)
    # the bads score lower than the goods (a higher score means better odds)
    assert s[y == 1].mean() < s[y == 0].mean()


# the message must point at the parameter (``event=...``, ``'event'``, "the event parameter"),
# not merely use the word ("1 = bad/event" does not tell the user what to pass)
EVENT_HINT = re.compile(
    r"event\s*=|[`'\"]event[`'\"]|\bevent (?:parameter|argument|label)|--event"
    r"|\b(?:pass|give|set|name)\s+(?:the\s+)?event\b"
)

UNNAMED = {
    "iv_summary": lambda X, ys: iv_summary(X, ys),
    "woe_table": lambda X, ys: woe_table(X["income"], ys, bins=5),
    "woe_tables": lambda X, ys: woe_tables(X, ys),
    "protected_divergence": lambda X, ys: protected_divergence(X, "region", ys),
    "StumpBinner": lambda X, ys: StumpBinner().fit(X, ys),
    "WoEEncoder": lambda X, ys: WoEEncoder().fit(X, ys),
    "Scorecard": lambda X, ys: Scorecard().fit(X, ys),
}


@pytest.mark.parametrize("what", list(UNNAMED))
@settings(max_examples=3, **_COMMON)
@given(
    seed=SEEDS,
    labels=st.sampled_from([("bad", "good"), ("no", "yes"), ("B", "G"), ("x", "y")]),
)
def test_two_strings_without_event_are_refused(what, seed, labels):
    X, y, _ = make_data(seed, 100)
    ys = np.where(y == 1, labels[0], labels[1])
    with pytest.raises(InvalidParameterError) as info:
        run(UNNAMED[what], X, ys)
    assert EVENT_HINT.search(str(info.value)), str(info.value)


# ---------------------------------------------------------------------------- monotone maps
# (a, b) with a > 0; offsets up to 1e12 and scales down to subnormal numbers (x * 1e-310)
AFFINE = [
    (1.0, 0.0),
    (2.5, -7.0),
    (1.0, 1e8),
    (1.0, 1e10),
    (1.0, 1e12),
    (1e-3, 1e8),
    (1e-3, 1e10),
    (1e3, -1e12),
    (1e-6, 0.0),
    (1e-300, 0.0),
    (1e-310, 0.0),
    (1e250, 0.0),
]


def dense_rank(v: np.ndarray) -> np.ndarray:
    return np.unique(v, return_inverse=True)[1]


def affine_data(seed: int, n: int, a: float, b: float):
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(0, 10, n), 2)  # ties, spacing 0.01
    y = (rng.random(n) < 1 / (1 + np.exp(-0.2 * x))).astype(int)
    y[0], y[1] = 0, 1
    t = a * x + b
    # the map must be strictly increasing on these values in float64 (else it is not order-free)
    assume(np.array_equal(dense_rank(x), dense_rank(t)))
    return x, t, y


@FAST
@given(seed=SEEDS, n=SIZES, ab=st.sampled_from(AFFINE), k=st.integers(2, 10))
def test_increasing_transform_quantile_bins(seed, n, ab, k):
    x, t, y = affine_data(seed, n, *ab)
    tx = run(woe_table, x, y, bins=k)
    tt = run(woe_table, t, y, bins=k)
    # the same partition of the rows: same codes (bins keep their order under an increasing map)
    np.testing.assert_array_equal(tt.bins.codes(t), tx.bins.codes(x))
    assert tt.iv.estimate == pytest.approx(tx.iv.estimate, rel=RTOL, abs=1e-15)
    ivx = run(iv_summary, pd.DataFrame({"v": x}), y, bins=k)
    ivt = run(iv_summary, pd.DataFrame({"v": t}), y, bins=k)
    assert ivt.loc["v", "estimate"] == pytest.approx(ivx.loc["v", "estimate"], rel=RTOL, abs=1e-15)
    assert ivt.loc["v", "n_bins"] == ivx.loc["v", "n_bins"]


@SLOW
@given(seed=SEEDS, n=st.integers(300, 500), ab=st.sampled_from(AFFINE))
def test_increasing_transform_stump_binner(seed, n, ab):
    x, t, y = affine_data(seed, n, *ab)
    bx = run(stump().fit, pd.DataFrame({"v": x}), y)
    bt = run(stump().fit, pd.DataFrame({"v": t}), y)
    np.testing.assert_array_equal(
        bt.transform(pd.DataFrame({"v": t})).ravel(), bx.transform(pd.DataFrame({"v": x})).ravel()
    )
    ivx, ivt = bx.woe_tables_["v"].iv.estimate, bt.woe_tables_["v"].iv.estimate
    assert ivt == pytest.approx(ivx, rel=RTOL, abs=1e-15)


@FAST
@given(
    seed=SEEDS,
    n=SIZES,
    k=st.integers(2, 10),
    top_share=st.floats(0.01, 0.5),
)
def test_few_distinct_values_keep_one_bin_each(seed, n, k, top_share):
    """A column with no more distinct values than bins: one bin per value, none merged away.

    The largest value is the minority (``top_share``), as a binary score whose rare value is
    the higher one; its rows must not vanish into the bin below.
    """
    rng = np.random.default_rng(seed)
    values = np.sort(rng.choice(1000, size=k, replace=False)).astype(float)
    p = np.r_[np.full(k - 1, (1 - top_share) / (k - 1)), top_share]
    x = rng.choice(values, size=n, p=p)
    x[:k] = values  # every value present
    y = (rng.random(n) < 0.3).astype(int)
    y[:2] = [0, 1]
    t = run(woe_table, x, y, bins=10)
    codes = t.bins.codes(x)
    # one code per value and one value per code: the same partition of the rows
    pairs = set(zip(codes.tolist(), x.tolist(), strict=True))
    assert len(pairs) == len(set(codes.tolist())) == k, sorted(pairs)
    s = run(iv_summary, pd.DataFrame({"x": x}), y, bins=10)
    assert s.loc["x", "estimate"] == pytest.approx(t.iv.estimate, rel=RTOL)


def _increasing(X: pd.DataFrame, how: str) -> pd.DataFrame:
    """``X`` with its numeric columns mapped by a strictly increasing function."""
    age = X["age"].to_numpy()
    if how == "offsets":
        return X.assign(income=X["income"] + 1e10, age=1.7e12 + age * 86_400_000.0)
    if how == "uint64 above 2**63":
        return X.assign(age=np.uint64(2**63) + age.astype(np.uint64) * np.uint64(1000))
    if how == "tiny":
        return X.assign(income=X["income"] * 1e-310)
    return X.assign(income=X["income"] * 1e40)  # beyond float32


@SLOW
@given(
    seed=SEEDS,
    n=SIZES,
    how=st.sampled_from(["offsets", "uint64 above 2**63", "tiny", "beyond float32"]),
)
def test_increasing_transform_encoder_and_scorecard(seed, n, how):
    """WoE features and scores do not change when a column is mapped by an increasing function.

    No column may collapse to one bin (or be dropped as constant) because of its scale.
    """
    X, y, w = make_data(seed, n)
    Xt = _increasing(X, how)
    e = run(encoder().fit, X, y, sample_weight=w)
    et = run(encoder().fit, Xt, y, sample_weight=w)
    np.testing.assert_allclose(run(et.transform, Xt), run(e.transform, X), rtol=RTOL)
    c = run(card().fit, X, y, sample_weight=w)
    ct = run(card().fit, Xt, y, sample_weight=w)
    assert ct.features_ == c.features_, (ct.dropped_, c.dropped_)
    np.testing.assert_allclose(run(ct.score, Xt), run(c.score, X), rtol=1e-8, atol=1e-6)


# ---------------------------------------------------------------------------- datetime units
UNITS = ["s", "ms", "us", "ns"]


def dates(seed: int, n: int):
    rng = np.random.default_rng(seed)
    secs = 1_600_000_000 + rng.integers(0, 4 * 365 * 86400, n)  # whole seconds: exact in all
    d = pd.Series(secs.astype("datetime64[s]"), name="d")
    y = (rng.random(n) < 1 / (1 + np.exp(-(secs - secs.mean()) / secs.std()))).astype(int)
    y[0], y[1] = 0, 1
    return {u: d.astype(f"datetime64[{u}]") for u in UNITS}, y


@FAST
@given(seed=SEEDS, n=SIZES, u1=st.sampled_from(UNITS), u2=st.sampled_from(UNITS))
def test_datetime_unit_quantile_bins(seed, n, u1, u2):
    d, y = dates(seed, n)
    t1 = run(woe_table, d[u1], y, bins=5)
    t2 = run(woe_table, d[u2], y, bins=5)
    assert t2.iv.estimate == pytest.approx(t1.iv.estimate, rel=RTOL, abs=1e-15)
    np.testing.assert_array_equal(t2.bins.codes(d[u2]), t1.bins.codes(d[u1]))
    # bins fitted in one unit, applied to the same instants in another unit
    np.testing.assert_array_equal(t1.bins.codes(d[u2]), t1.bins.codes(d[u1]))
    i1 = run(iv_summary, d[u1].to_frame(), y, bins=5)
    i2 = run(iv_summary, d[u2].to_frame(), y, bins=5)
    assert i2.loc["d", "estimate"] == pytest.approx(i1.loc["d", "estimate"], rel=RTOL, abs=1e-15)


@SLOW
@given(seed=SEEDS, n=st.integers(300, 500), u1=st.sampled_from(UNITS), u2=st.sampled_from(UNITS))
def test_datetime_unit_stump_binner(seed, n, u1, u2):
    d, y = dates(seed, n)
    b1 = run(stump().fit, d[u1].to_frame(), y)
    b2 = run(stump().fit, d[u2].to_frame(), y)
    z1 = b1.transform(d[u1].to_frame())
    np.testing.assert_array_equal(b2.transform(d[u2].to_frame()), z1)
    np.testing.assert_array_equal(run(b1.transform, d[u2].to_frame()), z1)
    assert b2.woe_tables_["d"].iv.estimate == pytest.approx(
        b1.woe_tables_["d"].iv.estimate, rel=RTOL, abs=1e-15
    )


# ---------------------------------------------------------------------------- count tables
def fixed_bins(X: pd.DataFrame) -> dict[str, FeatureBins]:
    return {f: infer_bins(X[f], 5, f) for f in X.columns}


@settings(max_examples=6, **_COMMON)
@given(seed=SEEDS, n=SIZES, cut=st.floats(0.0, 1.0), weighted=st.booleans())
def test_count_table_halves_add_up(seed, n, cut, weighted):
    X, y, w = make_data(seed, n)
    w = w if weighted else np.ones(n)
    k = int(round(cut * n))
    assume(0 < k < n)
    bins = fixed_bins(X)
    whole = CountTable.from_frame(X, bins, {"class": y}, w)
    t1 = CountTable.from_frame(X.iloc[:k], bins, {"class": y[:k]}, w[:k])
    t2 = CountTable.from_frame(X.iloc[k:], bins, {"class": y[k:]}, w[k:])
    assert t1 + t2 == whole
    assert sum([t2, t1]) == whole
    same_ivs(run(iv_from_counts, t1 + t2), run(iv_from_counts, whole))
    same_ivs(run(iv_from_counts, whole), run(iv_summary, X, y, bins=bins, sample_weight=w))
    # the same through the engine layer (pandas here), keyed by a column of the data
    df = X.assign(cls=y, wt=w)
    s1 = count_table(df.iloc[:k], bins, by="cls", sample_weight="wt")
    s2 = count_table(df.iloc[k:], bins, by="cls", sample_weight="wt")
    sw = count_table(df, bins, by="cls", sample_weight="wt")
    assert s1 + s2 == sw
    same_ivs(run(iv_from_counts, s1 + s2, key="cls"), run(iv_from_counts, whole))


@FAST
@given(seed=SEEDS, n=SIZES, cut=st.floats(0.1, 0.9))
def test_count_table_halves_with_keys_of_another_type(seed, n, cut):
    """Class keys 0/1 in one half and '0'/'1' in the other: refused, or merged as one class each."""
    X, y, _ = make_data(seed, n)
    k = int(round(cut * n))
    bins = fixed_bins(X)
    whole = CountTable.from_frame(X, bins, {"class": y})
    t1 = CountTable.from_frame(X.iloc[:k], bins, {"class": y[:k]})
    t2 = CountTable.from_frame(X.iloc[k:], bins, {"class": y[k:].astype(str)})
    try:
        merged = t1 + t2
    except InvalidParameterError as exc:
        assert names(str(exc), "class"), str(exc)
        return
    keys = merged.key_values("class")
    assert len(keys) == 2, keys
    # whatever the documented type of the merged keys, "1" is the bad class and "0" the good
    bad = next(k for k in keys if str(k) == "1")
    good = next(k for k in keys if str(k) == "0")
    same_ivs(run(iv_from_counts, merged, bad=bad, good=good), run(iv_from_counts, whole))


# ---------------------------------------------------------------------------- IV = PSI
@FAST
@given(seed=SEEDS, n=SIZES, k=st.integers(2, 8), weighted=st.booleans())
def test_iv_equals_psi_goods_to_bads(seed, n, k, weighted):
    X, y, w = make_data(seed, n)
    w = w if weighted else None
    tables = run(woe_tables, X, y, bins=k, sample_weight=w)
    ivs = run(iv_summary, X, y, bins=k, sample_weight=w)
    for f in X.columns:
        assert ivs.loc[f, "estimate"] == pytest.approx(tables[f].iv.estimate, rel=RTOL)
        fb = tables[f].bins
        x = X[f]
        good, bad = (y == 0), (y == 1)
        kw = {} if w is None else {"expected_weight": w[good], "actual_weight": w[bad]}
        r = run(psi, x[good], x[bad], bins=fb, **kw)  # expected = goods, actual = bads
        assert r.estimate == pytest.approx(ivs.loc[f, "estimate"], rel=RTOL, abs=1e-15)
        # Jeffreys is symmetric: the other direction gives the same value
        kw2 = {} if w is None else {"expected_weight": w[bad], "actual_weight": w[good]}
        r2 = run(psi, x[bad], x[good], bins=fb, **kw2)
        assert r2.estimate == pytest.approx(r.estimate, rel=RTOL, abs=1e-15)


# ---------------------------------------------------------------------------- brute force
@st.composite
def full_cells(draw):
    """Per-bin (goods, bads) counts, every cell >= 1, and optional weights."""
    k = draw(st.integers(2, 6))
    goods = draw(st.lists(st.integers(1, 40), min_size=k, max_size=k))
    bads = draw(st.lists(st.integers(1, 40), min_size=k, max_size=k))
    seed = draw(SEEDS)
    weighted = draw(st.booleans())
    return goods, bads, seed, weighted


def iv_by_hand(codes: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
    tab = pd.crosstab(codes, y, values=w, aggfunc="sum").fillna(0.0)
    p = tab[1].to_numpy() / tab[1].sum()  # bads
    q = tab[0].to_numpy() / tab[0].sum()  # goods
    assert (p > 0).all() and (q > 0).all()
    return float(np.sum((p - q) * np.log(p / q))), np.log(p / q)


@FAST
@given(cells=full_cells())
def test_iv_matches_brute_force_numeric(cells):
    goods, bads, seed, weighted = cells
    rng = np.random.default_rng(seed)
    k = len(goods)
    codes = np.concatenate(
        [np.full(g + b, i) for i, (g, b) in enumerate(zip(goods, bads, strict=True))]
    )
    y = np.concatenate(
        [np.r_[np.zeros(g, int), np.ones(b, int)] for g, b in zip(goods, bads, strict=True)]
    )
    x = codes + rng.uniform(0, 0.999, codes.size)  # bin i holds [i, i + 1)
    w = rng.uniform(0.2, 3.0, codes.size) if weighted else np.ones(codes.size)
    p = rng.permutation(codes.size)
    x, y, w, codes = x[p], y[p], w[p], codes[p]
    iv, woe = iv_by_hand(np.floor(x).astype(int), y, w)
    edges = [float(i) for i in range(1, k)]
    t = run(woe_table, x, y, bins=edges, sample_weight=w if weighted else None)
    assert t.iv.estimate == pytest.approx(iv, rel=RTOL)
    np.testing.assert_allclose(t.woe.to_numpy()[:k], woe, rtol=RTOL)
    s = run(iv_summary, pd.DataFrame({"x": x}), y, bins={"x": edges}, sample_weight=w)
    assert s.loc["x", "estimate"] == pytest.approx(iv_by_hand(codes, y, w)[0], rel=RTOL)


@FAST
@given(cells=full_cells())
def test_iv_matches_brute_force_categorical(cells):
    goods, bads, seed, weighted = cells
    rng = np.random.default_rng(seed)
    cats = np.array([f"c{i}" for i in range(len(goods))])
    codes = np.concatenate(
        [np.full(g + b, i) for i, (g, b) in enumerate(zip(goods, bads, strict=True))]
    )
    y = np.concatenate(
        [np.r_[np.zeros(g, int), np.ones(b, int)] for g, b in zip(goods, bads, strict=True)]
    )
    w = rng.uniform(0.2, 3.0, codes.size) if weighted else np.ones(codes.size)
    p = rng.permutation(codes.size)
    codes, y, w = codes[p], y[p], w[p]
    x = pd.Series(pd.Categorical(cats[codes], categories=cats), name="c")
    iv, woe = iv_by_hand(codes, y, w)
    t = run(woe_table, x, y, bins=None, sample_weight=w)
    assert t.iv.estimate == pytest.approx(iv, rel=RTOL)
    np.testing.assert_allclose(t.woe.loc[list(cats)].to_numpy(), woe, rtol=RTOL)
    s = run(iv_summary, x.to_frame(), y, sample_weight=w)
    assert s.loc["c", "estimate"] == pytest.approx(iv, rel=RTOL)
