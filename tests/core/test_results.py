"""Every results object renders in notebooks: a readable repr and an HTML table."""

import numpy as np
import pandas as pd
import pytest

from infodiv import data_starved, divergence, psi, woe_table
from infodiv.causal import ManskiBounds
from infodiv.credit._metrics import auc
from infodiv.fairness._protected import protected_divergence


def _results():
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    g = rng.choice(["a", "b"], size=n)
    X = pd.DataFrame({"x": x, "z": rng.normal(size=n)})
    div = divergence([30, 50, 20], [20, 50, 30])
    return {
        "DivergenceResult": div,
        "WoETable": woe_table(x, y, bins=4),
        "PSIResult": psi(x[:300], x[300:]),
        "AUCResult": auc(y, x),
        "ProtectedDivergence": protected_divergence(X, g, y, bins=4),
        "CausalBounds": ManskiBounds(support=(-5, 5), n_folds=2, random_state=0)
        .fit(None, y, x)
        .result_,
        "DataStarvedResult": data_starved(div),
    }


@pytest.mark.parametrize("name", list(_results()))
def test_repr_and_html(name):
    obj = _results()[name]
    assert type(obj).__name__ == name
    text = repr(obj)
    assert text and "object at 0x" not in text
    html = obj._repr_html_()
    assert "<table" in html and "</table>" in html
    assert isinstance(obj.summary(), pd.DataFrame)
