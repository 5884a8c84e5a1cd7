"""Private helpers shared by infodiv's scikit-learn estimators (input frames and binary targets)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d, validate_data

__all__ = ["as_frame", "binary_target", "feature_names"]


def as_frame(estimator: Any, X: Any, *, reset: bool) -> pd.DataFrame:
    """``X`` as a DataFrame with string column names, recording/checking ``n_features_in_``.

    DataFrames keep their dtypes (categorical columns stay categorical); other inputs go through
    :func:`sklearn.utils.validation.check_array` (NaN allowed, inf refused) and get the names
    ``x0, x1, ...`` that :meth:`get_feature_names_out` reports.
    """
    name = type(estimator).__name__
    if isinstance(X, pd.DataFrame):
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        if X.shape[1] == 0:
            raise ValueError(
                f"0 feature(s) (shape={X.shape}) while a minimum of 1 is required by {name}."
            )
        if X.shape[0] == 0:
            raise ValueError(
                f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is "
                f"required by {name}."
            )
        if len(set(map(str, X.columns))) != X.shape[1]:
            raise ValueError(f"X has duplicated column names: {list(X.columns)}")
        return X.set_axis([str(c) for c in X.columns], axis=1)
    arr = validate_data(estimator, X, reset=reset, dtype=None, ensure_all_finite="allow-nan")
    if arr.dtype.kind in "OUS":
        cols = {}
        for j in range(arr.shape[1]):  # numbers stored as objects become numbers again
            col = pd.Series(arr[:, j], dtype=object)
            try:
                cols[f"x{j}"] = pd.to_numeric(col)
            except (TypeError, ValueError):
                if not all(isinstance(v, str) or pd.isna(v) for v in col):
                    np.asarray(col, dtype=float)  # raises TypeError naming the bad value
                cols[f"x{j}"] = col  # text: refused later with the column's name
        return pd.DataFrame(cols)
    return pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])])


def feature_names(estimator: Any, X: pd.DataFrame) -> list[str]:
    """Names of the columns of a frame built by :func:`as_frame`."""
    return [str(c) for c in X.columns]


def binary_target(
    y: Any, estimator_name: str, event_label: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """``y`` coded 0/1 (1 = event/bad) and the two class labels ``classes_``.

    The event is ``event_label`` when given, otherwise the larger label (1 in 0/1 coding,
    ``True`` for booleans), as in scikit-learn's ``TargetEncoder`` and ``LogisticRegression``.
    """
    if y is None:
        raise ValueError(f"{estimator_name} requires y to be passed, but the target y is None")
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"y must be one column; got {y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        if y.isna().any():
            raise ValueError(f"y contains missing values ({int(y.isna().sum())} rows)")
        y = y.to_numpy()
    arr = column_or_1d(np.asarray(y), warn=True)
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"y contains NaN or inf ({int((~np.isfinite(arr)).sum())} rows)")
    if arr.dtype.kind == "O" and pd.isna(arr).any():
        raise ValueError(f"y contains missing values ({int(pd.isna(arr).sum())} rows)")
    if arr.size == 0:
        raise ValueError("y is empty")
    kind = type_of_target(arr)
    if kind.startswith("continuous"):
        raise ValueError(f"Unknown label type: {kind}; y must be binary (two classes)")
    classes = np.unique(arr)
    if classes.size == 1:
        raise ValueError(
            f"y has only one class ({classes[0]!r}): {estimator_name} needs two classes "
            "(event and non-event)"
        )
    if classes.size > 2:
        shown = classes[:6].tolist()
        raise ValueError(
            f"Only binary classification is supported. y must have two classes; got "
            f"{classes.size} classes: {shown}"
            f"{' ...' if classes.size > 6 else ''}"
        )
    if event_label is not None:
        if event_label not in classes.tolist():
            raise ValueError(
                f"event_label {event_label!r} is not one of the classes {classes.tolist()}"
            )
        event = event_label
        classes = np.array([c for c in classes if c != event] + [event], dtype=classes.dtype)
    else:
        event = classes[1]
    return (arr == event).astype(np.int64), classes


def fit_inputs(
    estimator: Any, X: Any, y: Any, sample_weight: Any, event_label: Any = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Checked ``fit`` inputs: the frame, ``y`` coded 0/1, ``classes_`` and the row weights."""
    from infodiv._validation import check_same_length, check_sample_weight

    frame = as_frame(estimator, X, reset=True)
    yy, classes = binary_target(y, type(estimator).__name__, event_label)
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float).ravel()
    check_same_length({"X": frame, "y": yy, "sample_weight": sw})
    w = check_sample_weight(sw, len(frame))
    for k in (0, 1):
        if w[yy == k].sum() <= 0:
            raise ValueError(
                f"class {classes[k]!r} has zero total sample_weight: y has only one class with "
                "positive weight"
            )
    return frame, yy, classes, w
