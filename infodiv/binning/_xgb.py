"""XGBoost for the stumps: booster parameters, training, the device used, and reading splits.

``device="cuda"`` trains on a GPU. XGBoost itself silently falls back to the CPU when none is
usable; the binner reads the device the booster really used
(``json.loads(booster.save_config())["learner"]["generic_param"]["device"]``, see
:func:`booster_device`) and warns naming the fallback (:class:`~infodiv.exceptions.
DeviceFallbackWarning`), or raises with ``strict_device=True``.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from infodiv.exceptions import DeviceFallbackWarning

__all__ = ["booster_device"]


def booster_device(booster: Any) -> str:
    """The device an xgboost ``Booster`` really used (``"cpu"``, ``"cuda:0"``, ...).

    Parameters
    ----------
    booster : xgboost.Booster
        A trained booster.

    Returns
    -------
    str
        The device from the booster's saved configuration.
    """
    return str(json.loads(booster.save_config())["learner"]["generic_param"]["device"])


def _params(
    *,
    learning_rate: float,
    n_cells: int,
    nthread: int,
    seed: int,
    device: str,
    constraints: Sequence[int],
) -> dict[str, Any]:
    """Booster parameters of depth-1 ``hist`` stumps with monotone constraints per column.

    The weights given to xgboost have mean 1 (see ``StumpBinner._fit_stumps``).
    """
    return {
        "objective": "binary:logistic",
        "max_depth": 1,
        "eta": float(learning_rate),
        "tree_method": "hist",
        "max_bin": n_cells,
        "nthread": nthread,
        "seed": seed,
        "device": device,
        "monotone_constraints": "(" + ",".join(str(int(v)) for v in constraints) + ")",
        # no L2 penalty and (almost) no minimum hessian: the gain G^2 / H then does not depend
        # on the scale of the weights, so weights c * w give the splits of w (and weights as
        # repetitions the splits of the repeated rows); tiny bins are the merges' business
        "lambda": 0.0,
        "min_child_weight": 1e-9,
    }


def _cell_reference(n_codes: Sequence[int]) -> np.ndarray:
    """A small matrix whose column ``j`` holds every cell index ``0 .. n_codes[j] - 1``.

    Given as ``ref`` to ``xgboost.QuantileDMatrix``, its histogram cuts are one per cell
    index (every column has at most ``max_bin`` distinct values), so xgboost quantises the
    row matrix of cell indices by these cuts without sketching the rows: the histogram bins
    are those a sketch of the rows finds (one per non-empty cell; a cell index absent from
    the rows adds an empty bin, where no split can fall), in far less time (1,000,000 x 20:
    about 1.7 s for the matrix and first round against 4 s for a ``DMatrix``).
    """
    m = max(n_codes)
    return np.column_stack([np.resize(np.arange(k, dtype=np.float32), m) for k in n_codes])


def _train(
    Z: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    params: dict[str, Any],
    n_estimators: int,
    n_codes: Sequence[int] | None = None,
) -> Any:
    """``n_estimators`` boosting rounds on ``(Z, y, w)``; returns the booster.

    ``n_codes``: ``Z`` holds cell indices, column ``j`` in ``0 .. n_codes[j] - 1`` (the joint
    strategy); xgboost then quantises it on the device by the known cuts
    (:func:`_cell_reference`) instead of sketching it.
    """
    import xgboost as xgb

    with warnings.catch_warnings():
        # xgboost's own fallback notice is replaced by DeviceFallbackWarning below
        warnings.filterwarnings("ignore", message=".*(GPU|gpu|[Dd]evice).*")
        if n_codes is not None:
            ref = xgb.QuantileDMatrix(
                _cell_reference(n_codes), max_bin=params["max_bin"], nthread=params["nthread"]
            )
            d: xgb.DMatrix = xgb.QuantileDMatrix(
                Z,
                label=y,
                weight=w,
                ref=ref,
                max_bin=params["max_bin"],
                nthread=params["nthread"],
            )
        elif str(params["device"]).startswith("cuda"):
            d = xgb.QuantileDMatrix(
                Z, label=y, weight=w, max_bin=params["max_bin"], nthread=params["nthread"]
            )
        else:  # on the CPU a plain DMatrix sketches as well and measured faster here
            d = xgb.DMatrix(Z, label=y, weight=w, nthread=params["nthread"])
        # ``xgb.train`` is this loop plus callback and evaluation machinery, which costs
        # more than the boosting itself on the per-feature tables (a few hundred cells)
        booster = xgb.Booster(params, [d])
        for i in range(int(n_estimators)):
            booster.update(d, i)
    return booster


def _check_device(wanted: str, used: str, strict: bool) -> None:
    """Warn (or raise with ``strict``) when CUDA was requested and xgboost used another device."""
    if wanted.startswith("cuda"):
        if not used.startswith("cuda"):
            msg = (
                f"StumpBinner: device={wanted!r} was requested but xgboost trained on "
                f"{used!r} (no usable CUDA device); fell back to the CPU"
            )
            if strict:
                raise RuntimeError(msg + " and strict_device=True")
            warnings.warn(
                msg + "; pass strict_device=True to raise instead",
                DeviceFallbackWarning,
                stacklevel=5,  # the caller of StumpBinner.fit (via _check_device, _fit_stumps)
            )


def _probe_device(
    device: str, strict: bool, *, learning_rate: float, n_cells: int, n_estimators: int
) -> str | None:
    """With ``strict``, fail before the real fit if the device is not usable.

    Returns the device a tiny booster used, or ``None`` when nothing was probed.
    """
    if not strict or device == "cpu":
        return None
    Z = np.array([[0.0], [1.0], [0.0], [1.0]])
    params = _params(
        learning_rate=learning_rate,
        n_cells=n_cells,
        nthread=1,
        seed=0,
        device=device,
        constraints=[0],
    )
    used = booster_device(_train(Z, np.array([0, 1, 0, 1]), np.ones(4), params, n_estimators))
    _check_device(device, used, strict)
    return used


_ROOT = re.compile(r"^0:\[f(\d+)<([^\]]+)\][^\n]*?gain=([-+0-9.eE]+)", re.MULTILINE)


def _snap(split: np.ndarray, codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Edges at observed values: the value of the smallest code at or above each xgboost split.

    XGBoost was given the integer ``codes`` (cell indices or dense ranks, increasing with
    ``values``) and compares float32 (``code < split``). The edge returned is the exact
    original value of the first code to the right, so ``x >= edge`` on the original values
    partitions the rows as the split did on the codes. ``codes`` and ``values`` are paired
    arrays (repeats allowed).
    """
    uniq, first = np.unique(codes, return_index=True)
    vals = np.asarray(values)[first]
    idx = np.searchsorted(uniq.astype(np.float32), np.asarray(split).astype(np.float32), "left")
    return vals[np.clip(idx, 0, uniq.size - 1)]


def _splits_of(booster: Any, n_features: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Thresholds per feature from a stump booster: (split values, summed gains, tree counts).

    Reads the text dump (the information of ``Booster.trees_to_dataframe()``, faster): a
    depth-1 tree is a root ``0:[f<j><t] yes=1,no=2,missing=..,gain=g,cover=..`` and two leaves,
    or a single leaf when the round found no split.
    """
    per: list[dict[float, list[float]]] = [{} for _ in range(n_features)]
    text = "\n".join(booster.get_dump(with_stats=True))
    for f, split, gain in _ROOT.findall(text):
        rec = per[int(f)].setdefault(float(split), [0.0, 0])
        rec[0] += float(gain)
        rec[1] += 1
    out = []
    for d in per:
        keys = sorted(d)
        out.append(
            (
                np.asarray(keys, dtype=float),
                np.asarray([d[k][0] for k in keys], dtype=float),
                np.asarray([d[k][1] for k in keys], dtype=np.int64),
            )
        )
    return out
