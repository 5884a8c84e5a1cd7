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
from typing import Any, Literal, TypeVar

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
    if isinstance(value, str | bytes):  # float("0.05") would pass: text is never a number here
        raise InvalidParameterError(
            f"{name} must be a number in {span}, not text; got {_show(value)}"
        )
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


def check_real_array(values: Any, name: str, what: str) -> np.ndarray:
    """``values`` as a float array, or ``InvalidParameterError`` naming ``name``.

    Refused: ``None``, mappings, sets and text given whole, ragged nested lists, complex
    numbers (numpy would drop the imaginary part with a ``ComplexWarning``) and entries that
    are not numbers. Missing markers (``None``, ``pd.NA``) in an object array read as NaN;
    NaN, inf, the shape and the sign are left to the caller.

    Parameters
    ----------
    values : array-like
        The numbers.
    name : str
        The argument's name, for the messages.
    what : str
        What the argument must be (e.g. ``"numbers, one per row"``), for the messages.

    Returns
    -------
    ndarray of float
        The values, in their shape.
    """
    if values is None or isinstance(values, dict | set | frozenset | str | bytes):
        raise InvalidParameterError(
            f"{name} must be {what}; got {type(values).__name__} {_show(values)}"
        )
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):  # ragged nested lists
        raise InvalidParameterError(
            f"{name} must be {what}; got a ragged nested sequence ({_show(values)})"
        ) from None
    if raw.dtype.kind == "c":
        raise InvalidParameterError(
            f"{name} must be {what}; got complex numbers (dtype {raw.dtype}): pass the real part"
        )
    if raw.dtype.kind == "O" and any(isinstance(v, complex | np.complexfloating) for v in raw.flat):
        raise InvalidParameterError(f"{name} must be {what}; got complex numbers")
    try:
        return raw.astype(float)
    except (TypeError, ValueError):
        if raw.dtype.kind == "O":  # pandas' missing markers (pd.NA, None) read as NaN
            missing = pd.isna(raw)
            if missing.any():
                try:
                    return np.where(missing, np.nan, raw).astype(float)
                except (TypeError, ValueError):
                    pass
        bad = next((v for v in raw.flat if not _is_number(v)), None)
        raise InvalidParameterError(
            f"{name} must be {what}; got entries that are not numbers (first: {_show(bad)})"
        ) from None


def _is_number(v: Any) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def check_counts(counts: Any, name: str) -> np.ndarray:
    """A 1-D vector of finite, non-negative (possibly weighted) counts with a positive total."""
    arr = check_real_array(counts, name, "numeric counts")
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
    w = check_real_array(sample_weight, name, "non-negative numbers, one per row").ravel()
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


#: The readings of row weights (``weights=``): ``None`` is "sampling", refused when the weights
#: look like the counts of an aggregated table (:func:`looks_like_frequency`).
WEIGHT_READINGS = ("sampling", "frequency")

#: Mean positive weight from which whole-number weights may be the counts of aggregated rows.
FREQUENCY_MEAN = 5.0


def looks_like_frequency(w: np.ndarray) -> bool:
    """Whether row weights look like the counts of an aggregated table (frequency weights).

    True when all of: every positive weight is a whole number (below ``2**53``, where
    float64 still holds fractions); their mean is at least
    :data:`FREQUENCY_MEAN` (5), i.e. ``sum(w) >= 5 * rows``; and they are varied, as counts
    of distinct cells are: at least ``max(3, rows / 2)`` distinct values (``rows``: rows of
    positive weight). Sampling weights are usually fractional (calibrated, ``1 / p``) or take
    one value per stratum (down-sampled goods weighted 10, bads 1), and then this is False.
    """
    pos = np.asarray(w, dtype=float)
    pos = pos[pos > 0]
    rows = pos.size
    # floats from 2**53 on are all whole numbers: weights that large say nothing of counts
    if rows < 3 or pos.max() >= 2.0**53 or not np.array_equal(pos, np.round(pos)):
        return False
    if pos.sum() < FREQUENCY_MEAN * rows:
        return False
    return bool(np.unique(pos).size >= max(3.0, rows / 2))


def check_weight_reading(
    weights: Any, w: np.ndarray | None, name: str = "sample_weight"
) -> Literal["sampling", "frequency"]:
    """The reading of the row weights ``w``: ``"sampling"`` or ``"frequency"``.

    ``weights`` is ``None`` (the default: sampling weights, but refused with an
    :class:`InvalidParameterError` naming ``name`` when :func:`looks_like_frequency` says the
    weights look like the counts of aggregated rows), ``"sampling"`` (Kish effective sizes;
    no check) or ``"frequency"`` (each weight counts identical rows).
    """
    if weights is not None and (not isinstance(weights, str) or weights not in WEIGHT_READINGS):
        raise InvalidParameterError(
            f"weights must be 'sampling', 'frequency' or None (the reading of {name}); "
            f"got {_show(weights)}"
        )
    if weights is not None:
        return "frequency" if weights == "frequency" else "sampling"
    if w is not None and looks_like_frequency(w):
        pos = np.asarray(w, dtype=float)
        pos = pos[pos > 0]
        raise InvalidParameterError(
            f"{name} looks like the counts of an aggregated table ({pos.size} rows of whole "
            f"numbers summing to {pos.sum():.6g}, mean {pos.mean():.3g}), and reading them as "
            "sampling weights (the default) would base every SE on a Kish effective size of "
            "at most the number of rows. Pass weights='frequency' if each row stands for that "
            "many identical observations (aggregated counts), or weights='sampling' to confirm "
            "they are survey/sampling weights"
        )
    return "sampling"


_EVENT_HINTS = ("bad", "default", "defaulted", "event", "yes", "true", "positive")


def _is_zero_one(values: np.ndarray, dtype: Any) -> bool:
    """Whether the distinct values of a target are 0/1 numbers or booleans (event = 1/True)."""
    if pd.api.types.is_bool_dtype(dtype):
        return True
    if pd.api.types.is_numeric_dtype(dtype):
        return bool(np.isin(np.asarray(values, dtype=float), (0.0, 1.0)).all())
    return all(
        isinstance(v, bool | np.bool_)
        or (isinstance(v, int | float | np.integer | np.floating) and v in (0, 1))
        for v in values
    )


def _sorted_labels(values: Any) -> list[Any]:
    labels = list(values)
    try:
        return sorted(labels)
    except TypeError:
        return sorted(labels, key=str)


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _label_kind(v: Any) -> str:
    if isinstance(v, str | bytes | np.str_ | np.bytes_):
        return "text"
    if isinstance(v, bool | int | float | np.bool_ | np.integer | np.floating):
        return "number"
    return type(v).__name__


def check_label_array(y: Any, name: str = "y") -> np.ndarray:
    """``y`` as a one-dimensional array of class labels, or ``InvalidParameterError`` naming it.

    Refused, with a message naming ``name``: ``None``, a mapping, a set or a single string or
    number given whole, ragged nested lists, more than one label per row (an ``n x 2``
    array), complex numbers, and labels that mix text with numbers (``[0, '1']``) or hold
    containers. A column vector (``n x 1``) is read as one label per row. Missing values are
    left for the caller to report.

    Parameters
    ----------
    y : array-like
        The labels, one per row.
    name : str, default "y"
        The argument's name, for the messages.

    Returns
    -------
    ndarray
        The labels, one-dimensional.
    """
    what = "an array-like of class labels, one per row"
    if y is None or isinstance(y, dict | set | frozenset | str | bytes):
        raise InvalidParameterError(f"{name} must be {what}; got {_show(y)}")
    try:
        arr = np.asarray(y)
    except (TypeError, ValueError):  # ragged nested lists
        raise InvalidParameterError(
            f"{name} must be {what}; got a ragged nested sequence ({_show(y)})"
        ) from None
    if arr.ndim == 0:
        raise InvalidParameterError(f"{name} must be {what}; got the single value {_show(y)}")
    if arr.ndim > 1 and int(np.prod(arr.shape[1:])) != 1:
        raise InvalidParameterError(
            f"{name} must be one-dimensional (one label per row); got shape {arr.shape}"
        )
    arr = arr.reshape(-1) if arr.ndim > 1 else arr
    if arr.dtype.kind == "c":
        raise InvalidParameterError(
            f"{name} holds complex numbers (dtype {arr.dtype}); class labels must be 0/1, "
            "booleans or text"
        )
    if arr.dtype.kind == "O":
        kinds = {_label_kind(v) for v in arr if not _is_missing(v)}
        odd = sorted(kinds - {"number", "text"})
        if odd:
            raise InvalidParameterError(
                f"{name} holds values of type {odd[0]}; class labels must be numbers, "
                "booleans or text, one per row"
            )
        if len(kinds) > 1:
            first = next(v for v in arr if _label_kind(v) == "text")
            raise InvalidParameterError(
                f"{name} mixes numbers and text (e.g. {_show(first)}): give every label the "
                f"same type (e.g. {name}.astype(int) or {name}.astype(str))"
            )
    return arr


def _is_missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def binary_event(y: Any, name: str = "y", event: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """The one rule for which class of a binary target is the event.

    0/1 targets (integers, floats ``0.0``/``1.0``, nullable integers) and booleans need no
    ``event``: 1/``True`` is the event. Any other pair of labels (``'good'``/``'bad'``,
    ``-1``/``1``, ``'0'``/``'1'``...) needs the event named with ``event``; ``event`` may also
    name the event of a 0/1 target (``event=0`` makes 0 the event).

    Returns
    -------
    codes : ndarray of int64
        1 for the event rows, 0 for the others.
    classes : ndarray
        The two labels as they appear in ``y``, non-event first: ``classes[1]`` is the event.
    """
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InvalidParameterError(f"{name} must be one column; got {y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        s = y
        base = np.asarray(s.to_numpy())
        check_label_array(base, name)
    else:
        base = check_label_array(y, name)
        s = pd.Series(base)
    if len(s) == 0:
        raise InvalidParameterError(f"{name} is empty")
    missing = s.isna()
    if missing.any():
        raise InvalidParameterError(
            f"{name} contains missing values ({int(missing.sum())} rows); drop or label them"
        )
    values = pd.unique(s)
    labels = _sorted_labels(_py(v) for v in values)
    if len(labels) > 2:
        shown = labels[:6]
        more = " ..." if len(labels) > 6 else ""
        raise InvalidParameterError(
            f"{name} must be a binary target (two classes); got {len(labels)} distinct values "
            f"{shown}{more}"
        )
    if len(labels) < 2:
        raise InvalidParameterError(
            f"{name} has a single class (all {labels[0]!r}): both the event and the non-event "
            "class are needed"
        )
    zero_one = _is_zero_one(np.asarray(values, dtype=object), s.dtype)
    if event is None:
        if not zero_one:
            hint = next((v for v in labels if str(v).strip().lower() in _EVENT_HINTS), labels[-1])
            raise InvalidParameterError(
                f"{name} has labels {labels}: name the event class with event={hint!r} "
                "(0/1 and booleans need no event: 1/True is the event)"
            )
        event_label: Any = True if pd.api.types.is_bool_dtype(s.dtype) else 1
        matches = [v for v in labels if v == event_label]
    else:
        try:
            matches = [v for v in labels if bool(v == event)]
        except (TypeError, ValueError):
            matches = []
        if not matches:
            raise InvalidParameterError(
                f"event={_show(event)} is not one of the labels of {name}: {labels}; "
                "name one of them"
            )
    ev = matches[0]
    other = next(v for v in labels if not (v == ev))
    codes = (s == ev).to_numpy(dtype=bool).astype(np.int64)
    try:
        classes = np.array([other, ev], dtype=base.dtype)
    except (TypeError, ValueError):
        classes = np.array([other, ev], dtype=object)
    return codes, classes


def check_class_weights(
    codes: np.ndarray,
    w: np.ndarray,
    classes: Any = None,
    target: str = "y",
    weight: str = "sample_weight",
) -> None:
    """Raise unless both classes of a 0/1-coded target carry positive total weight.

    The message names the weights, the target and the class (``classes``: the two labels,
    non-event first, when they are not 0/1).
    """
    for k, role in ((1, "the event"), (0, "the non-event")):
        if not w[codes == k].sum() > 0:
            label = k if classes is None else classes[k]
            raise InvalidParameterError(
                f"every row with {target} == {_py(label)!r} ({role}) has zero {weight}: both "
                f"classes need rows with positive weight"
            )


def check_binary_target(y: Any, name: str = "y", event: Any = None) -> np.ndarray:
    """A binary target as an int array (1 = event), by the rule of :func:`binary_event`."""
    return binary_event(y, name, event)[0]


def _is_pandas(v: Any) -> bool:
    return isinstance(v, pd.Series | pd.DataFrame)


def align_inputs(named: dict[str, Any], what: str = "rows") -> dict[str, Any]:
    """Row-aligned inputs matched by index label when two or more are pandas objects.

    The one rule for inputs that describe the same rows (``X``, ``y``, ``sample_weight``,
    protected groups, treatment, outcome, scores) or the same cells (two count vectors):

    - pandas objects (Series, DataFrame) whose indexes are the same sequence are used as they
      are (duplicated labels are fine then);
    - pandas objects whose indexes hold the same labels in another order are reordered to the
      order of the first pandas input (an error if labels are duplicated: the match would be
      ambiguous);
    - pandas objects whose index labels differ raise ``InvalidParameterError`` naming both
      arguments (labels are never dropped or filled in);
    - other inputs (arrays, lists, ``None``) are positional and returned unchanged (only
      lengths are compared, by the caller).

    Parameters
    ----------
    named : dict of str -> object
        The inputs by argument name, the reference (usually ``X``) first.
    what : str, default "rows"
        What the index labels name, for the messages (``"rows"``, ``"cells"``).

    Returns
    -------
    dict of str -> object
        The same keys; pandas inputs reordered to the reference's index.
    """
    pandas = [(k, v) for k, v in named.items() if _is_pandas(v)]
    if len(pandas) < 2:
        return dict(named)
    ref_name, ref = pandas[0]
    ref_index = ref.index
    out = dict(named)

    def positional(k: str) -> str:
        return (
            f"pass {k}.reset_index(drop=True) and {ref_name}.reset_index(drop=True) (or "
            f"`.to_numpy()`) if the {what} match by position"
        )

    for k, v in pandas[1:]:
        idx = v.index
        if idx.equals(ref_index):
            continue
        only_ref = ref_index.difference(idx, sort=False)
        only_v = idx.difference(ref_index, sort=False)
        if len(only_ref) or len(only_v):
            parts = []
            if len(only_v):
                parts.append(
                    f"{len(only_v)} labels of {k}'s index are not in {ref_name}'s "
                    f"(e.g. {_show(list(only_v[:3]))})"
                )
            if len(only_ref):
                parts.append(
                    f"{len(only_ref)} labels of {ref_name}'s index are not in {k}'s "
                    f"(e.g. {_show(list(only_ref[:3]))})"
                )
            head = (
                f"length mismatch: {k} has {len(idx)} {what}, {ref_name} has {len(ref_index)}; "
                if len(idx) != len(ref_index)
                else ""
            )
            raise InvalidParameterError(
                f"{head}{k} and {ref_name} are pandas objects whose indexes differ: "
                f"{'; '.join(parts)}. Their {what} are matched by index label: align them, or "
                + positional(k)
            )
        if len(idx) != len(ref_index):
            raise InvalidParameterError(
                f"length mismatch: {ref_name} has {len(ref_index)} {what}, {k} has {len(idx)}"
            )
        if not (idx.is_unique and ref_index.is_unique):
            raise InvalidParameterError(
                f"{k} and {ref_name} hold the same index labels in different orders, with "
                f"duplicated labels: their {what} cannot be matched by label. Make the index "
                "unique, or " + positional(k)
            )
        out[k] = v.reindex(ref_index)
    return out


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
