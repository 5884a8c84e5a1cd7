"""Private helpers shared by infodiv's scikit-learn estimators (input frames and binary targets)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d, validate_data

from infodiv._validation import (
    align_inputs,
    binary_event,
    check_class_weights,
    check_same_length,
    check_sample_weight,
)
from infodiv.exceptions import InvalidParameterError

__all__ = ["as_frame", "binary_target", "feature_names"]


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
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        if X.shape[1] == 0:
            raise InvalidParameterError(
                f"0 feature(s) (shape={X.shape}) while a minimum of 1 is required by {name}."
            )
        if X.shape[0] == 0:
            raise InvalidParameterError(
                f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is "
                f"required by {name}."
            )
        if len(set(map(str, X.columns))) != X.shape[1]:
            raise InvalidParameterError(f"X has duplicated column names: {list(X.columns)}")
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
    arr = validate_data(estimator, X, reset=reset, dtype=None, ensure_all_finite="allow-nan")
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
    arr = column_or_1d(np.asarray(y), warn=True)
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise InvalidParameterError(
            f"y contains NaN or inf ({int((~np.isfinite(arr)).sum())} rows)"
        )
    if arr.dtype.kind == "O" and pd.isna(arr).any():
        raise InvalidParameterError(f"y contains missing values ({int(pd.isna(arr).sum())} rows)")
    if arr.size == 0:
        raise InvalidParameterError("y is empty")
    kind = type_of_target(arr)
    if kind.startswith("continuous"):
        raise InvalidParameterError(f"Unknown label type: {kind}; y must be binary (two classes)")
    classes = np.unique(arr)
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


def fit_inputs(
    estimator: Any, X: Any, y: Any, sample_weight: Any, event: Any = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Checked ``fit`` inputs: the frame, ``y`` coded 0/1, ``classes_`` and the row weights.

    Pandas ``y``/``sample_weight`` are matched to ``X`` by index label
    (:func:`infodiv._validation.align_inputs`) before ``X`` becomes a frame with a fresh index.
    """
    named = align_inputs({"X": X, "y": y, "sample_weight": sample_weight})
    y, sample_weight = named["y"], named["sample_weight"]
    frame = as_frame(estimator, X, reset=True)
    yy, classes = binary_target(y, type(estimator).__name__, event)
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float).ravel()
    check_same_length({"X": frame, "y": yy, "sample_weight": sw})
    w = check_sample_weight(sw, len(frame))
    check_class_weights(yy, w, classes)
    return frame, yy, classes, w
