"""Private helpers shared by infodiv's scikit-learn estimators (input frames and binary targets)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d, validate_data

from infodiv._validation import (
    align_inputs,
    binary_event,
    check_class_weights,
    check_label_array,
    check_real_array,
    check_same_length,
    check_sample_weight,
    check_weight_reading,
)
from infodiv.exceptions import InvalidParameterError

__all__ = ["as_frame", "binary_target", "feature_names", "sklearn_checked"]


def as_frame(estimator: Any, X: Any, *, reset: bool) -> pd.DataFrame:
    """``X`` as a DataFrame with string column names, recording/checking ``n_features_in_``.

    DataFrames keep their dtypes (categorical columns stay categorical); other inputs go through
    :func:`sklearn.utils.validation.check_array` (NaN allowed, inf refused) and get the names
    ``x0, x1, ...`` that :meth:`get_feature_names_out` reports. An array given to an estimator
    fitted on a DataFrame (``reset=False``) is read positionally, its columns taking the fitted
    names in order, as scikit-learn does (with scikit-learn's warning that ``X`` has no feature
    names); its width is checked against ``n_features_in_``.
    """
    name = type(estimator).__name__
    if isinstance(X, pd.DataFrame):
        dup = pd.Index(map(str, X.columns))
        if dup.has_duplicates:
            twice = sorted(set(dup[dup.duplicated()]))
            raise InvalidParameterError(
                f"X has duplicated column names {_show_list(twice)} (columns: "
                f"{_show_list(list(dup))}): rename or drop the duplicates so that every column "
                "name is unique"
            )
        sklearn_checked(validate_data, name, estimator, X, reset=reset, skip_check_array=True)
        if X.shape[1] == 0:
            raise InvalidParameterError(
                f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required by "
                f"{name}: pass a DataFrame or array with at least one column"
            )
        if X.shape[0] == 0:
            raise InvalidParameterError(
                f"X: Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is "
                f"required by {name}: pass at least one row"
            )
        cols = [str(c) for c in X.columns]
        if reset:
            estimator._fit_columns = cols
            return X.set_axis(cols, axis=1)
        fitted = getattr(estimator, "_fit_columns", None)
        if fitted is None or set(cols) == set(fitted):
            return X.set_axis(cols, axis=1)
        if fitted == [f"x{j}" for j in range(len(fitted))] and len(cols) == len(fitted):
            # fitted on an array: read the frame's columns by position (scikit-learn warned)
            return X.set_axis(fitted, axis=1)
        raise InvalidParameterError(
            f"X has columns {_show_list(cols)} but {name} was fitted on columns "
            f"{_show_list(fitted)}: pass a DataFrame with those columns"
        )
    if X is None or isinstance(X, str | bytes | Mapping) or np.isscalar(X):
        raise InvalidParameterError(
            f"X must be a DataFrame or a 2-D array-like (rows x features); got "
            f"{type(X).__name__} {_show_value(X)}"
        )
    arr = sklearn_checked(
        validate_data, name, estimator, X, reset=reset, dtype=None, ensure_all_finite="allow-nan"
    )
    fitted = None if reset else getattr(estimator, "_fit_columns", None)
    if fitted is not None and len(fitted) == arr.shape[1]:
        names = list(fitted)  # positional, as scikit-learn reads it (it warns)
    else:
        names = [f"x{j}" for j in range(arr.shape[1])]
    if reset:
        estimator._fit_columns = names
    if arr.dtype.kind in "OUS":
        columns: dict[str, pd.Series] = {}
        for j in range(arr.shape[1]):  # numbers stored as objects become numbers again
            col = pd.Series(arr[:, j], dtype=object)
            try:
                columns[names[j]] = pd.to_numeric(col)
            except (TypeError, ValueError):
                if not all(isinstance(v, str) or pd.isna(v) for v in col):
                    np.asarray(col, dtype=float)  # raises TypeError naming the bad value
                columns[names[j]] = col  # text: refused later with the column's name
        return pd.DataFrame(columns)
    return pd.DataFrame(arr, columns=names)


def sklearn_checked(check: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Run a scikit-learn check on ``X``; its refusal becomes an error naming ``X``.

    scikit-learn's own wording is kept (its estimator checks match it) behind an ``X:`` prefix,
    followed by what to do.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            return check(*args, **kwargs)
    except InvalidParameterError:
        raise
    except (ValueError, TypeError, np.exceptions.ComplexWarning) as exc:
        msg = str(exc)
        if "feature names should match" in msg or "Feature names" in msg:
            hint = f"pass X with the columns {name} was fitted on, in the same order"
        elif re.search(r"X has \d+ features", msg):
            hint = f"pass X with as many columns as {name} was fitted on"
        elif "omplex" in msg:
            hint = "pass real numbers (the real part or the modulus)"
        elif "NaN" in msg or "infinity" in msg:
            hint = "drop or impute the missing or infinite values"
        elif "inhomogeneous" in msg or "sequence" in msg:
            hint = "pass a rectangular table: every row with the same number of values"
        else:
            hint = "pass a DataFrame or a 2-D array-like (rows x features)"
        raise InvalidParameterError(f"X: {msg.rstrip('.')}; {hint}") from exc


def _show_value(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show_list(names: list[str], limit: int = 8) -> str:
    return str(names[:limit])[:-1] + (", ...]" if len(names) > limit else "]")


def feature_names(estimator: Any, X: pd.DataFrame) -> list[str]:
    """Names of the columns of a frame built by :func:`as_frame`."""
    return [str(c) for c in X.columns]


def binary_target(y: Any, estimator_name: str, event: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """``y`` coded 0/1 (1 = event/bad) and the two class labels ``classes_`` (event last).

    scikit-learn's own checks first (``y`` given, one column, not continuous), then the
    package's one rule for the event (:func:`infodiv._validation.binary_event`): 0/1 and
    booleans need no ``event`` (1/``True`` is the event); any other pair of labels needs it.
    """
    if y is None:
        raise InvalidParameterError(
            f"{estimator_name} requires y to be passed, but the target y is None"
        )
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InvalidParameterError(f"y must be one column; got {y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        if y.isna().any():
            raise InvalidParameterError(f"y contains missing values ({int(y.isna().sum())} rows)")
        y = y.to_numpy()
    arr = _target_array(y)
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise InvalidParameterError(
            f"y contains NaN or inf ({int((~np.isfinite(arr)).sum())} rows)"
        )
    if arr.dtype.kind == "O" and pd.isna(arr).any():
        raise InvalidParameterError(f"y contains missing values ({int(pd.isna(arr).sum())} rows)")
    if arr.size == 0:
        raise InvalidParameterError("y is empty")
    try:
        kind = type_of_target(arr)
        classes = np.unique(arr)
    except TypeError as exc:  # labels of several types (0 and '1') cannot be sorted
        kinds = sorted({type(v).__name__ for v in arr.tolist()})
        raise InvalidParameterError(
            f"y mixes labels of types {kinds}: use one type for the two classes (e.g. all "
            "ints or all strings)"
        ) from exc
    except ValueError as exc:  # scikit-learn's other refusals of a target
        raise InvalidParameterError(f"y: {exc}; pass one column of two class labels") from exc
    if kind.startswith("continuous"):
        raise InvalidParameterError(f"Unknown label type: {kind}; y must be binary (two classes)")
    if classes.size == 1:
        raise InvalidParameterError(
            f"y has only one class ({classes[0]!r}): {estimator_name} needs two classes "
            "(event and non-event)"
        )
    if classes.size > 2:
        shown = classes[:6].tolist()
        raise InvalidParameterError(
            f"Only binary classification is supported. y must have two classes; got "
            f"{classes.size} classes: {shown}"
            f"{' ...' if classes.size > 6 else ''}"
        )
    return binary_event(arr, "y", event)


def _target_array(y: Any) -> np.ndarray:
    """``y`` as a 1-D array (one column accepted, with scikit-learn's warning), or an error."""
    labels = check_label_array(y, "y")  # the package's refusals, each naming y
    raw = np.asarray(y)
    if raw.ndim == 2:  # a column vector: scikit-learn's DataConversionWarning, as its checks expect
        column_or_1d(raw, warn=True)
    return labels


def _weights_array(sample_weight: Any) -> np.ndarray | None:
    """``sample_weight`` as a flat float array (``None`` kept), or an error naming it."""
    if sample_weight is None:
        return None
    what = "an array-like of non-negative numbers, one per row of X"
    return check_real_array(sample_weight, "sample_weight", what).ravel()


#: The most rows an estimator's ``fit`` expands frequency weights into.
_MAX_EXPANDED_ROWS = 50_000_000


def fit_inputs(
    estimator: Any,
    X: Any,
    y: Any,
    sample_weight: Any,
    event: Any = None,
    weights: Any = None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Checked ``fit`` inputs: the frame, ``y`` coded 0/1, ``classes_`` and the row weights.

    Pandas ``y``/``sample_weight`` are matched to ``X`` by index label
    (:func:`infodiv._validation.align_inputs`) before ``X`` becomes a frame with a fresh index.
    ``weights`` is the reading of ``sample_weight``
    (:func:`infodiv._validation.check_weight_reading`): ``None`` refuses weights that look
    like aggregated counts; ``"frequency"`` (whole numbers only) expands every row into
    ``w`` unit-weight rows, which is what frequency weights mean.
    """
    named = align_inputs({"X": X, "y": y, "sample_weight": sample_weight})
    y, sample_weight = named["y"], named["sample_weight"]
    frame = as_frame(estimator, X, reset=True)
    yy, classes = binary_target(y, type(estimator).__name__, event)
    sw = _weights_array(sample_weight)
    check_same_length({"X": frame, "y": yy, "sample_weight": sw})
    w = check_sample_weight(sw, len(frame))
    reading = check_weight_reading(weights, None if sw is None else w)
    if reading == "frequency" and sw is not None:
        if not np.array_equal(w, np.round(w)):
            j = int(np.flatnonzero(w != np.round(w))[0])
            raise InvalidParameterError(
                f"weights='frequency' needs whole-number sample_weight (counts of identical "
                f"rows); row {j} has {w[j]!r}. Pass weights='sampling' for sampling weights"
            )
        if w.sum() > _MAX_EXPANDED_ROWS:
            raise InvalidParameterError(
                f"weights='frequency' expands the rows, and sample_weight sums to "
                f"{w.sum():.4g} (more than {_MAX_EXPANDED_ROWS:.0e} rows): use woe_tables or "
                "iv_summary with weights='frequency', which count without expanding"
            )
        rows = np.repeat(np.arange(len(frame)), w.astype(np.int64))
        frame, yy, w = frame.iloc[rows].reset_index(drop=True), yy[rows], np.ones(rows.size)
    check_class_weights(yy, w, classes)
    return frame, yy, classes, w
