"""Per-feature notes become one warning per call, naming every feature concerned."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from infodiv import WoEEncoder, iv_summary, woe_tables
from infodiv._validation import one_warning_per_call, warn_feature
from infodiv.exceptions import UnseenCategoryWarning, ZeroCellWarning


@pytest.fixture(scope="module")
def data():
    """Six categorical columns whose category 'c' never occurs among the bads (a zero cell)."""
    rng = np.random.default_rng(0)
    n = 3000
    y = (rng.random(n) < 0.2).astype(int)
    X = pd.DataFrame(
        {
            f"c{i}": pd.Categorical(
                np.where(y == 1, rng.choice(list("ab"), n), rng.choice(list("abc"), n))
            )
            for i in range(6)
        }
    )
    return X, y


def _record(fn):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        fn()
    return rec


def test_iv_summary_gives_one_zero_cell_warning_naming_every_feature(data):
    X, y = data
    rec = _record(lambda: iv_summary(X, y, bins=None))
    assert len(rec) == 1  # was one per feature (6)
    assert issubclass(rec[0].category, ZeroCellWarning)
    msg = str(rec[0].message)
    assert "6 features" in msg and all(f"c{i}" in msg for i in range(6))
    assert len(_record(lambda: woe_tables(X, y, bins=None))) == 1


def test_cross_validation_gives_one_warning_per_fit(data):
    X, y = data
    pipe = make_pipeline(WoEEncoder(random_state=0), LogisticRegression())
    rec = _record(lambda: cross_val_score(pipe, X, y, cv=5))
    # each of the 5 fits gives one aggregated note (before: 6 features x (4 inner folds + 1)
    # x 5 fits = 150 warnings and more)
    assert 1 <= len(rec) <= 5
    assert all(issubclass(w.category, ZeroCellWarning) for w in rec)


def test_unseen_categories_of_several_columns_make_one_warning(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroCellWarning)
        enc = WoEEncoder(random_state=0, cv=2).fit(X.iloc[:, :3], y)
    new = pd.DataFrame({f"c{i}": pd.Categorical(["zz", "a"]) for i in range(3)})
    rec = _record(lambda: enc.transform(new))
    assert len(rec) == 1 and issubclass(rec[0].category, UnseenCategoryWarning)
    assert all(f"'c{i}'" in str(rec[0].message) for i in range(3))


def test_helper_emits_single_note_unchanged_and_nested_calls_once():
    @one_warning_per_call
    def inner(features):
        for f in features:
            warn_feature(f"{f}: odd", UserWarning, feature=f, head="odd", detail=f)

    @one_warning_per_call
    def outer():
        inner(["a"])
        inner(["b", "c"])

    rec = _record(lambda: inner(["a"]))
    assert [str(w.message) for w in rec] == ["a: odd"]
    rec = _record(outer)
    assert len(rec) == 1 and str(rec[0].message) == "odd: 3 features ['a', 'b', 'c'] (a; b; c)"
    # outside a decorated call the note is warned at once
    rec = _record(lambda: warn_feature("x: odd", UserWarning, feature="x", head="odd", detail="x"))
    assert [str(w.message) for w in rec] == ["x: odd"]


def test_a_call_that_raises_emits_nothing():
    @one_warning_per_call
    def boom():
        warn_feature("a: odd", UserWarning, feature="a", head="odd", detail="a")
        raise ValueError("bad")

    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        with pytest.raises(ValueError):
            boom()
    assert rec == []


def test_a_filter_in_force_when_a_note_is_made_still_applies():
    @one_warning_per_call
    def outer():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ZeroCellWarning)
            warn_feature("a: zero", ZeroCellWarning, feature="a", head="zero", detail="a")
        warn_feature("b: unseen", UnseenCategoryWarning, feature="b", head="new", detail="b")

    rec = _record(outer)
    assert [(w.category, str(w.message)) for w in rec] == [(UnseenCategoryWarning, "b: unseen")]


def test_protected_divergence_gives_one_zero_cell_warning(data):
    from infodiv import protected_divergence

    X, y = data
    group = np.where(np.arange(len(y)) % 2 == 0, "g1", "g2")
    rec = _record(lambda: protected_divergence(X, group, y, bins=None))
    zero = [w for w in rec if issubclass(w.category, ZeroCellWarning)]
    assert len(zero) == 1 and len(rec) == 1  # was 12: per feature and class
