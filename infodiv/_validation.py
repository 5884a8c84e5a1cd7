"""Input checks shared by every layer: each error names the argument and the value received.

Every check raises :class:`infodiv.exceptions.InvalidParameterError`, a subclass of both
``ValueError`` and ``TypeError``: code that catches ``ValueError`` (the command line, callers
written before the class existed) keeps working.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from infodiv.exceptions import InvalidParameterError

_F = TypeVar("_F", bound=Callable[..., Any])

#: The notes recorded by the innermost :func:`one_warning_per_call` block (None outside one).
_PENDING: ContextVar[list[tuple[type[Warning], str, str, str, str]] | None] = ContextVar(
    "infodiv_pending_warnings", default=None
)

#: At most this many per-feature details are spelled out in one aggregated warning.
_MAX_DETAILS = 12


def warn_feature(
    message: str,
    category: type[Warning],
    *,
    feature: str,
    head: str,
    detail: str,
    stacklevel: int = 2,
) -> None:
    """Warn about one feature, or record the note for the enclosing aggregated call.

    Inside a call wrapped by :func:`one_warning_per_call` the note is kept and the call emits
    one warning per (category, ``head``) naming every feature concerned; elsewhere ``message``
    is warned at once.

    Parameters
    ----------
    message : str
        The whole warning about this one feature.
    category : Warning subclass
        The warning class.
    feature : str
        The feature (column, or result name such as ``"IV[x]"``) concerned.
    head : str
        What happened, without the feature (the same text for every feature).
    detail : str
        The feature and its particulars (e.g. ``"column 'x': cells ['a']"``).
    stacklevel : int, default 2
        As in :func:`warnings.warn`, for an immediate warning.
    """
    pending = _PENDING.get()
    if pending is None:
        warnings.warn(message, category, stacklevel=stacklevel + 1)
    elif not _ignored_now(category, message):  # a filter in force now still applies later
        pending.append((category, head, feature, detail, message))


def _ignored_now(category: type[Warning], message: str) -> bool:
    """Whether the first warning filter in force that matches says ``"ignore"``.

    Filters naming a module or a line are skipped (the aggregated warning is emitted from the
    decorated call, not from here).
    """
    for action, msg, cat, mod, lineno in warnings.filters:
        if mod is not None or lineno:
            continue
        if issubclass(category, cat) and (msg is None or msg.match(message)):
            return action == "ignore"
    return False


def _emit(notes: list[tuple[type[Warning], str, str, str, str]], stacklevel: int) -> None:
    groups: dict[tuple[type[Warning], str], list[tuple[str, str, str]]] = {}
    for category, head, feature, detail, message in notes:
        group = groups.setdefault((category, head), [])
        if (feature, detail, message) not in group:  # the same note from another fold or pass
            group.append((feature, detail, message))
    for (category, head), items in groups.items():
        if len(items) == 1:
            text = items[0][2]
        else:
            features = list(dict.fromkeys(f for f, _, _ in items))
            shown = "; ".join(d for _, d, _ in items[:_MAX_DETAILS])
            more = f"; {len(items) - _MAX_DETAILS} more" if len(items) > _MAX_DETAILS else ""
            text = f"{head}: {len(features)} features {features} ({shown}{more})"
        warnings.warn(text, category, stacklevel=stacklevel + 1)


def one_warning_per_call(func: _F) -> _F:
    """Decorate a public function or method so that its per-feature notes become one warning.

    Notes recorded by :func:`warn_feature` during the call (nested decorated calls included:
    the outermost call emits) are emitted when it returns, one warning per category and kind of
    note, naming every feature concerned, instead of one per feature, fold and pass. A call
    that raises emits nothing.

    Parameters
    ----------
    func : callable
        The function or method.

    Returns
    -------
    callable
        The wrapped function (same signature and docstring).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _PENDING.get() is not None:  # an outer call aggregates
            return func(*args, **kwargs)
        notes: list[tuple[type[Warning], str, str, str, str]] = []
        token = _PENDING.set(notes)
        try:
            out = func(*args, **kwargs)
        finally:
            _PENDING.reset(token)
        _emit(notes, stacklevel=2)
        return out

    return wrapper  # type: ignore[return-value]


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_open_interval(value: Any, name: str, lo: float, hi: float, note: str = "") -> float:
    """Return ``value`` as a float in the open interval (lo, hi), or raise naming the parameter.

    The message names the parameter and the value received; ``note`` is appended to the range.
    """
    span = f"({lo:g}, {hi:g})"
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be a number in {span}; got {_show(value)}"
        ) from None
    if not lo < v < hi:
        raise InvalidParameterError(f"{name} must be in {span}{note}; got {_show(value)}")
    return v


def check_alpha(alpha: float, name: str = "alpha") -> float:
    """Return ``alpha`` as a float in (0, 1) or raise ``InvalidParameterError`` naming it."""
    return check_open_interval(alpha, name, 0.0, 1.0)


def check_counts(counts: Any, name: str) -> np.ndarray:
    """A 1-D vector of finite, non-negative (possibly weighted) counts with a positive total."""
    try:
        arr = np.asarray(counts, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"{name} must be numeric counts; got {_show(counts)}") from None
    if arr.ndim != 1:
        raise InvalidParameterError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if arr.size == 0:
        raise InvalidParameterError(f"{name} is empty: it needs at least one cell")
    bad = ~np.isfinite(arr)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise InvalidParameterError(f"{name} contains NaN or inf (cell {j}: {arr[j]!r})")
    if (arr < 0).any():
        j = int(np.flatnonzero(arr < 0)[0])
        raise InvalidParameterError(f"{name} contains a negative count (cell {j}: {arr[j]!r})")
    if arr.sum() <= 0:
        raise InvalidParameterError(f"{name} is an empty sample: its counts sum to {arr.sum()!r}")
    return arr


def check_same_length(named: dict[str, Any]) -> int:
    """Raise ``InvalidParameterError`` unless every argument has the same length; return that length."""
    lengths = {k: len(v) for k, v in named.items() if v is not None}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise InvalidParameterError(f"length mismatch: {desc}")
    return next(iter(lengths.values()))


def check_sample_weight(sample_weight: Any, n: int, name: str = "sample_weight") -> np.ndarray:
    """Finite, non-negative weights of length ``n`` (ones when ``None``)."""
    if sample_weight is None:
        return np.ones(n)
    w = np.asarray(sample_weight, dtype=float).ravel()
    if w.shape[0] != n:
        raise InvalidParameterError(
            f"length mismatch: {name} has {w.shape[0]} rows, the data has {n}"
        )
    if not np.isfinite(w).all():
        j = int(np.flatnonzero(~np.isfinite(w))[0])
        raise InvalidParameterError(f"{name} contains NaN or inf (row {j}: {w[j]!r})")
    if (w < 0).any():
        j = int(np.flatnonzero(w < 0)[0])
        raise InvalidParameterError(f"{name} contains a negative weight (row {j}: {w[j]!r})")
    if w.sum() <= 0:
        raise InvalidParameterError(f"{name} sums to zero: no observation carries weight")
    return w


def check_binary_target(y: Any, name: str = "y") -> np.ndarray:
    """A binary target coded 0/1 (or bool) with both classes present, as an int array."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InvalidParameterError(f"{name} must be one column; got {y.shape[1]} columns")
        y = y.iloc[:, 0]
    s = pd.Series(np.asarray(y).ravel() if not isinstance(y, pd.Series) else y)
    if s.isna().any():
        raise InvalidParameterError(f"{name} contains missing values ({int(s.isna().sum())} rows)")
    values = pd.unique(s)
    if len(values) == 0:
        raise InvalidParameterError(f"{name} is empty")
    if s.dtype == bool:
        arr = s.to_numpy().astype(int)
    else:
        try:
            arr = s.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"{name} must be binary coded 0/1 (1 = bad/event); got values "
                f"{_show(sorted(map(str, values))[:5])}"
            ) from None
        if not np.isin(arr, (0.0, 1.0)).all():
            shown = sorted(set(np.unique(arr).tolist()))[:6]
            raise InvalidParameterError(
                f"{name} must be binary coded 0/1 (1 = bad/event); got values {shown}"
            )
        arr = arr.astype(int)
    if np.unique(arr).size < 2:
        raise InvalidParameterError(
            f"{name} has a single class (all {int(arr[0])}): both 0 and 1 are needed"
        )
    return arr


def as_series(x: Any, name: str | None = None) -> pd.Series:
    """A column as a pandas Series (keeps dtype; 1-D arrays and lists accepted)."""
    if isinstance(x, pd.Series):
        return x
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise InvalidParameterError(
                f"{name or 'x'} must be one column; got {x.shape[1]} columns"
            )
        return x.iloc[:, 0]
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise InvalidParameterError(f"{name or 'x'} must be one-dimensional; got shape {arr.shape}")
    return pd.Series(arr, name=name)
