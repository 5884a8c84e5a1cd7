"""Causal bounds under unmeasured confounding (see ``docs/causal.md``).

* :func:`f_radius` — the propensity radius ``B_f(e)``.
* :class:`DivergenceBounds` — f-divergence-ball bounds (propensity radius or f-sensitivity).
* :class:`ManskiBounds`, :class:`MSMBounds` — the no-assumption and marginal-sensitivity
  baselines in the same API and result shape (:class:`CausalBounds`, the fitted ``result_``).
* :func:`sensitivity_curve` — bounds over ``rho`` or ``Lambda`` (:class:`SensitivityCurve`);
  its ``.plot()`` is :func:`infodiv.plotting.plot_sensitivity`.
* :data:`CAUSAL_GENERATORS` — the generators as :class:`infodiv.core.Generator` values
  (``chi2`` at ``scale=0.5``); :data:`INTERVALS` — the ``interval=`` choices of ``conf_int``.
* :class:`NearestNeighborLaw`, :class:`ClassifierLaw` — conditional-law models.
"""

from infodiv.causal._bounds import DivergenceBounds, ManskiBounds, MSMBounds
from infodiv.causal._generators import CAUSAL_DIVERGENCES, CAUSAL_GENERATORS, f_radius
from infodiv.causal._laws import ClassifierLaw, NearestNeighborLaw
from infodiv.causal._results import INTERVALS, QUANTITIES, CausalBounds
from infodiv.causal._sensitivity import SensitivityCurve, sensitivity_curve

__all__ = [
    "CAUSAL_DIVERGENCES",
    "CAUSAL_GENERATORS",
    "INTERVALS",
    "QUANTITIES",
    "CausalBounds",
    "ClassifierLaw",
    "DivergenceBounds",
    "ManskiBounds",
    "MSMBounds",
    "NearestNeighborLaw",
    "SensitivityCurve",
    "f_radius",
    "sensitivity_curve",
]
