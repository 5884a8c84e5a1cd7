"""The validation plots: curve points against scikit-learn, every function returns a bare
Figure (no pyplot state) and refuses bad input naming it."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.metrics import roc_auc_score, roc_curve  # noqa: E402

from infodiv.plotting import (  # noqa: E402
    plot_calibration,
    plot_migration,
    plot_psi,
    plot_roc_cap,
    plot_roc_cap_curves,
    plot_score_distribution,
    plot_score_histogram,
    roc_cap_points,
)


@pytest.fixture
def ys():
    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.3).astype(int)
    s = np.round(y + rng.normal(size=400), 1)  # rounded: ties
    return y, s


def test_roc_points_equal_scikit_learn_and_cap_by_hand(ys):
    y, s = ys
    pts = roc_cap_points(y, s)
    fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(pts["fpr"], fpr)
    np.testing.assert_allclose(pts["tpr"], tpr)
    auc = np.sum(np.diff(pts["fpr"]) * (pts["tpr"][1:] + pts["tpr"][:-1]) / 2)
    assert auc == pytest.approx(roc_auc_score(y, s))
    # CAP: at each distinct score, the share of rows at or above it and of bads among them
    for share, captured in zip(pts["share"][1:], pts["captured"][1:], strict=True):
        cut = np.sort(s)[::-1][int(round(share * len(s))) - 1]
        assert share == pytest.approx(np.mean(s >= cut))
        assert captured == pytest.approx(y[s >= cut].sum() / y.sum())


def test_every_plot_returns_a_bare_figure(ys):
    y, s = ys
    before = plt.get_fignums()
    psi = pd.DataFrame(
        {"psi": [0.05, 0.15, 0.3], "ci_low": [0.01, 0.1, 0.2], "ci_high": [0.08, 0.2, 0.4]},
        index=["a", "b", "c"],
    )
    matrix = pd.DataFrame([[50, 5, 0], [4, 40, 6], [0, 3, 30]], index=[1, 2, 3], columns=[1, 2, 3])
    hist = pd.DataFrame(
        {
            "sample": ["dev"] * 4,
            "class": ["default", "default", "non_default", "non_default"],
            "bin_low": [0.0, 0.5, 0.0, 0.5],
            "bin_high": [0.5, 1.0, 0.5, 1.0],
            "share": [0.3, 0.7, 0.8, 0.2],
        }
    )
    figs = [
        plot_roc_cap(y, s),
        plot_roc_cap_curves(
            pd.DataFrame({"fpr": [0, 0.5, 1], "tpr": [0, 0.8, 1]}),
            pd.DataFrame({"share_population": [0, 0.5, 1], "share_defaults": [0, 0.9, 1]}),
        ),
        plot_calibration([0.1, 0.2], [0.12, 0.18], [0.08, 0.15], [0.16, 0.22], labels=["1", "2"]),
        plot_score_distribution(y, s),
        plot_score_histogram(hist),
        plot_psi(psi),
        plot_migration(matrix),
    ]
    assert all(type(f).__name__ == "Figure" for f in figs)
    assert plt.get_fignums() == before  # no pyplot state
    # PSI bars coloured by the traffic light
    bars = figs[5].axes[0].patches
    assert [tuple(round(c, 3) for c in b.get_facecolor()[:3]) for b in bars] == [
        tuple(round(c, 3) for c in matplotlib.colors.to_rgb(h))
        for h in ("#2e8b57", "#e0a100", "#c0392b")
    ]
    # the heat map prints each row share and count
    texts = [t.get_text() for t in figs[6].axes[0].texts]
    assert "91%\n50" in texts and "0%\n0" in texts


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: roc_cap_points([0, 1, 2], [1, 2, 3]), "both classes"),
        (lambda: roc_cap_points([0, 1], [1.0]), "one length"),
        (lambda: plot_psi(pd.DataFrame({"x": [1]})), "'psi' column"),
        (lambda: plot_calibration([0.1], [0.1, 0.2]), "one length"),
        (lambda: plot_migration(pd.DataFrame()), "non-empty"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
