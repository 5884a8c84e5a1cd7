"""Cumulant and derivative tensors: sample moments of T, finite-support cumulants,
symmetric inverses (the linear algebra under the expansion and the families)."""

from __future__ import annotations

from typing import Any

import numpy as np

from infodiv._validation import _show
from infodiv.exceptions import InvalidParameterError


def _as_tensor(a: Any, p: int, order: int, name: str) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if order == 2 and arr.ndim == 0 and p == 1:
        arr = arr.reshape(1, 1)
    if arr.ndim == 0 and p == 1:
        arr = arr.reshape((1,) * order)
    if arr.shape != (p,) * order:
        raise InvalidParameterError(f"{name} must have shape {(p,) * order}; got {arr.shape}")
    if not np.isfinite(arr).all():
        raise InvalidParameterError(f"{name} contains NaN or inf")
    return arr


def _inverse(fisher: np.ndarray, name: str = "fisher") -> np.ndarray:
    """Inverse of a positive-definite matrix; singularity is judged on its correlation form."""
    M = (fisher + fisher.T) / 2
    dg = np.diag(M)
    if not (dg > 0).all():
        raise InvalidParameterError(
            f"{name} is not positive definite (diagonal {_show(dg.tolist())})"
        )
    s = 1.0 / np.sqrt(dg)
    w, v = np.linalg.eigh(M * s[:, None] * s[None, :])
    if w.min() <= 1e-12:
        raise InvalidParameterError(
            f"{name} is singular (smallest eigenvalue of its correlation form {w.min():.3g}): "
            "the model's information matrix has no inverse at the fitted parameter"
        )
    return ((v / w) @ v.T) * s[:, None] * s[None, :]


# --------------------------------------------------------------------------------------------
# Sample moments of T and cumulant tensors
# --------------------------------------------------------------------------------------------


def _weighted_moments(T: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted mean, covariance (divisor sum w) and centred rows of ``T``."""
    pw = w / w.sum()
    mean = np.einsum("i,ij->j", pw, T)
    U = T - mean
    # einsum, not BLAS: tall-skinny products are faster without thread start-up
    cov = np.einsum("i,ij,ik->jk", pw, U, U)
    return mean, (cov + cov.T) / 2, U


def _sample_third(U: np.ndarray, w: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Weighted third central moment tensor ``sum w u(x)u(x)u / sum w`` (p^3), chunked."""
    n, p = U.shape
    pw = w / w.sum()
    if p <= 8:
        return np.einsum("i,ij,ik,il->jkl", pw, U, U, U)
    out = np.zeros((p * p, p))
    for s in range(0, n, chunk):
        Uc = U[s : s + chunk]
        outer = (Uc[:, :, None] * Uc[:, None, :]).reshape(len(Uc), p * p)
        out += (outer * pw[s : s + chunk, None]).T @ Uc
    return out.reshape(p, p, p)


def _finite_support_cumulants(
    points: np.ndarray, probs: np.ndarray, need_k4: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Covariance, third and fourth cumulants of a distribution on finitely many points."""
    mean = probs @ points
    U = points - mean
    K2 = (U * probs[:, None]).T @ U
    K3 = np.einsum("r,ra,rb,rc->abc", probs, U, U, U)
    K4 = None
    if need_k4:
        M4 = np.einsum("r,ra,rb,rc,rd->abcd", probs, U, U, U, U)
        K4 = M4 - _pair_sym(K2)
    return K2, K3, K4


def _pair_sym(K2: np.ndarray) -> np.ndarray:
    """``K2_ab K2_cd + K2_ac K2_bd + K2_ad K2_bc``."""
    return (
        np.einsum("ab,cd->abcd", K2, K2)
        + np.einsum("ac,bd->abcd", K2, K2)
        + np.einsum("ad,bc->abcd", K2, K2)
    )


def _wdot(w: np.ndarray, v: np.ndarray) -> Any:
    """``w @ v`` over rows by einsum (avoids BLAS thread start-up on long thin products)."""
    return np.einsum("i,i...->...", w, v)


def _inv_sqrt(M: np.ndarray, name: str) -> np.ndarray:
    """Symmetric inverse square root; singularity judged on the correlation form."""
    M = (M + M.T) / 2
    dg = np.diag(M)
    if not np.isfinite(M).all() or not (dg > 0).all():
        raise InvalidParameterError(
            f"{name} is singular or not positive definite (diagonal {_show(dg.tolist())})"
        )
    s = 1.0 / np.sqrt(dg)
    w = np.linalg.eigvalsh(M * s[:, None] * s[None, :])
    if w.min() <= 1e-12:
        raise InvalidParameterError(
            f"{name} is singular (smallest eigenvalue of its correlation form {w.min():.3g})"
        )
    w, v = np.linalg.eigh(M)
    return (v / np.sqrt(w)) @ v.T
