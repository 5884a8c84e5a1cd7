"""Regression tests of the error contract for the plain functions (issue 14, fuzz findings).

Each bad input used to escape as a raw ``TypeError``/``ValueError``/``AttributeError``, a numpy
``ComplexWarning``, or an ``InvalidParameterError`` naming something the caller never passed.
Now each raises :class:`infodiv.exceptions.InvalidParameterError` naming the argument.
"""

from __future__ import annotations

import json
import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from infodiv import CountTable, protected_divergence, psi, woe_table
from infodiv._validation import binary_event, check_counts, check_sample_weight
from infodiv.credit import auc
from infodiv.exceptions import InfodivWarning, InvalidParameterError
from infodiv.io import bins_from_json, load_bins

N = 40
Y = np.arange(N) % 2


def raises_naming(name: str):
    """``pytest.raises`` of InvalidParameterError whose message names ``name`` as a word."""
    return pytest.raises(InvalidParameterError, match=rf"(?<!\w){re.escape(name)}(?!\w)")


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ComplexWarning is a failure, not an answer
        yield


@pytest.mark.parametrize(
    "y",
    [
        {"a": 1},
        Y + 1j,
        [[0, 1], [1]],
        np.array([0, "1"] * (N // 2), dtype=object),
        "y",
        5,
        None,
        np.c_[Y, Y],
        np.array([[0], [1, 2]], dtype=object),
    ],
    ids=["dict", "complex", "ragged", "mixed int/str", "str", "scalar", "None", "n x 2", "lists"],
)
def test_binary_event_refuses_non_label_arrays(y):
    with raises_naming("target"):
        binary_event(y, "target")


def test_binary_event_reads_lists_and_column_vectors():
    for y in (Y.tolist(), Y[:, None], pd.array(Y, dtype="Int64")):
        codes, classes = binary_event(y)
        assert codes.tolist() == [i % 2 for i in range(N)]  # 1 is the event
        assert list(classes) == [0, 1]


@pytest.mark.parametrize(
    "w",
    [np.array(["heavy"] * N), {"a": 1.0}, np.ones(N) + 1j, [[1, 2], [3]], "x", None],
    ids=["words", "dict", "complex", "ragged", "str", "None-counts"],
)
def test_weights_and_counts_of_bad_types(w):
    if w is not None:
        with raises_naming("sample_weight"):
            check_sample_weight(w, N)
    with raises_naming("p_counts"):
        check_counts(w if w is not None else None, "p_counts")


def test_weights_given_as_numeric_text_and_nullable_floats():
    assert check_sample_weight(np.array(["2"] * N), N).tolist() == [2.0] * N
    w = pd.array([1.0] * (N - 1) + [None], dtype="Float64")
    with pytest.raises(InvalidParameterError, match=r"sample_weight contains NaN.*row 39"):
        check_sample_weight(w, N)


@pytest.mark.parametrize(
    "score",
    [None, np.array(["a"] * N), np.linspace(0, 1, N) + 1j, np.r_[np.nan, np.ones(N - 1)], 3.0],
    ids=["None", "text", "complex", "NaN", "scalar"],
)
def test_auc_names_score(score):
    with raises_naming("score"):
        auc(Y, score)


def test_alpha_as_text_refused():
    s = np.linspace(0, 1, N)
    with raises_naming("alpha"):
        auc(Y, s, alpha="0.05")
    X = pd.DataFrame({"x": s, "g": np.repeat(["a", "b"], N // 2)})
    with raises_naming("alpha"):
        protected_divergence(X, "g", Y, alpha="0.05")


def test_psi_names_the_sample_at_fault():
    e = np.linspace(0, 1, 20)
    with raises_naming("actual"):
        psi(e, np.r_[e[:-1], np.inf], bins=4)
    with raises_naming("expected"):
        psi(e + 1j, e, bins=4)
    with raises_naming("actual"):
        psi(e, np.array([1.0, "a"] * 10, dtype=object), bins=4)


def test_psi_with_actual_weights_of_another_scale():
    """PSI depends on each sample's shares and Kish size only: a constant weight of 1e200 on
    the actual rows is the unweighted PSI (it was refused: the common rescaling zeroed the
    expected sample's squared weights)."""
    rng = np.random.default_rng(3)
    e, a = rng.normal(size=300), rng.normal(0.3, 1, size=200)
    plain = psi(e, a, bins=5)
    heavy = psi(e, a, bins=5, actual_weight=np.full(200, 1e200))
    assert math.isclose(heavy.estimate, plain.estimate, rel_tol=1e-12)
    assert math.isclose(heavy.se, plain.se, rel_tol=1e-12)
    # the estimate itself, by hand from the bin shares (fixed edges, no empty bin)
    edges = [-1.0, 0.0, 1.0]
    r = psi(e, a, bins=edges, actual_weight=np.full(200, 1e200))
    p = np.bincount(np.searchsorted(edges, e, side="right"), minlength=4) / 300
    q = np.bincount(np.searchsorted(edges, a, side="right"), minlength=4) / 200
    assert (p > 0).all() and (q > 0).all()
    assert math.isclose(r.estimate, float(np.sum((q - p) * np.log(q / p))), rel_tol=1e-9)


def test_nan_edges_refused():
    x = np.linspace(0, 2, N)
    with raises_naming("bins"):
        woe_table(x, Y, bins=[math.nan, 1.0])
    with raises_naming("bins"):
        psi(x, x, bins=[1.0, math.nan])


def test_protected_divergence_names_score_and_score_bins_and_weights():
    s = np.linspace(0, 1, N)
    X = pd.DataFrame({"x": s, "g": np.repeat(["a", "b"], N // 2)})
    with raises_naming("score_bins"):
        protected_divergence(X, "g", Y, score=s, score_bins="5")
    with raises_naming("score"):
        protected_divergence(X, "g", Y, score=np.array(["a"] * N))
    with raises_naming("X"):
        protected_divergence(X.iloc[:0], "g", Y[:0])
    w = np.where(X["g"] == "a", 0.0, 1.0)  # group "a" carries no weight
    with raises_naming("sample_weight"):
        protected_divergence(X, "g", Y, sample_weight=w)


def test_protected_divergence_when_no_group_holds_both_classes():
    X = pd.DataFrame({"x": np.linspace(0, 1, N), "g": np.repeat(["a", "b"], N // 2)})
    y = (X["g"] == "b").astype(int).to_numpy()  # every group holds one class
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)  # empty cells: beside the point here
        res = protected_divergence(X, "g", y)
    assert len(res.predictive_gap) == 0


def test_count_table_from_arrays_bad_arguments():
    good = np.array([[2, 2, 2], [6, 6, 6]], dtype=float)
    bad = np.array([[3, 3, 3], [1, 1, 1]], dtype=float)
    ok = {"age": np.stack([good, bad], axis=1)}
    labels, keys = {"age": ["< 40", ">= 40"]}, {"class": [0, 1]}
    for arrays in (None, [ok["age"]]):
        with raises_naming("arrays"):
            CountTable.from_arrays(arrays, labels, keys)
    for arrays in (
        {"age": ok["age"] + 1j},
        {"age": [[1, 2], [3]]},
        {"age": np.full((2, 2, 3), "x")},
    ):
        with raises_naming("age"):
            CountTable.from_arrays(arrays, labels, keys)
    with raises_naming("labels"):
        CountTable.from_arrays(ok, "age", keys)
    with raises_naming("key_values"):
        CountTable.from_arrays(ok, labels, 5)


def _doc(**kw):
    return json.dumps({"format": "infodiv.bins", "version": 1, **kw})


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (None, "text"),
        (5, "text"),
        (_doc(), "bins"),
        (_doc(bins=5), "bins"),
        (_doc(bins=[{"edges": [1.0]}]), "feature"),
        (_doc(bins=[{"feature": "age", "edges": ["a"]}]), "edges"),
        (_doc(bins=[{"feature": "c", "categories": 5}]), "categories"),
        (_doc(bins=[5]), "bins"),
    ],
)
def test_bins_json_errors(tmp_path, text, named):
    with raises_naming(named):
        bins_from_json(text)
    if isinstance(text, str):
        path = tmp_path / "my_bins.json"
        path.write_text(text, encoding="utf-8")
        with raises_naming("my_bins.json"):
            load_bins(path)
