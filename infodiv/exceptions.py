"""infodiv's exception and warning classes, so that callers can catch and filter them by name.

``InvalidParameterError`` subclasses both ``ValueError`` and ``TypeError`` (as scikit-learn's
does), so code catching either keeps working. Every warning infodiv emits derives from
:class:`InfodivWarning`; filter one kind with, e.g.,
``warnings.simplefilter("ignore", infodiv.exceptions.ZeroCellWarning)``.
"""

from __future__ import annotations

__all__ = [
    "DeviceFallbackWarning",
    "InfodivWarning",
    "InvalidParameterError",
    "SolverWarning",
    "ThinTableWarning",
    "UnseenCategoryWarning",
    "ZeroCellWarning",
]


class InvalidParameterError(ValueError, TypeError):
    """A parameter or argument has a wrong type or value; the message names it and the fix."""


class InfodivWarning(UserWarning):
    """Base class of every warning infodiv emits."""


class ZeroCellWarning(InfodivWarning):
    """Empty cells were smoothed (or dropped) before a divergence was computed."""


class ThinTableWarning(InfodivWarning):
    """Too few observations per bin for the interval and the bias correction to be trusted."""


class UnseenCategoryWarning(InfodivWarning):
    """Values not seen when the bins were fitted were mapped to a documented bin or value."""


class DeviceFallbackWarning(InfodivWarning):
    """XGBoost trained on another device than the one requested (e.g. CPU instead of CUDA)."""


class SolverWarning(InfodivWarning):
    """A solver stopped without proving optimality, or reported a status worth a look."""
