"""Shared setup of the scikit-learn estimator checks: declared expected failures with reasons."""

from infodiv.binning._stump import StumpBinner
from infodiv.credit._scorecard import Scorecard

CROSS_FIT = (
    "fit_transform is cross-fitted (each row encoded by bins and WoE learned on the other "
    "folds), so it differs from fit(X, y).transform(X) by design, as for TargetEncoder"
)
SAMPLING_WEIGHTS = (
    "sample_weight are sampling weights: WoE zero-cell smoothing uses Kish effective sizes, "
    "so weights are not equivalent to repeated rows"
)
SMALL_CV = (
    "cross-fitting needs at least cv rows of each class; these checks fit on 10-20 rows with "
    "2 rows in one class (covered by the cross_fit=False instance)"
)
AUTO_TREND_KISH = (
    "sample_weight are sampling weights: monotone_trend='auto' compares the free and monotone "
    "binnings by a BIC on Kish's effective size, so weights of 0-3 and repeated rows can choose "
    "differently (the check passes with monotone_trend=None; it passed by chance at the former "
    "defaults max_bins=10, min_bin_share=0.05)"
)
EVENT_UNNAMED = (
    "the check fits on labels other than 0/1 (1/2, 'one'/'two', k/k+1) without naming the "
    "event: infodiv refuses to guess which class is the event (event= names it; the same "
    "inputs with 0/1 labels or a named event are tested in tests/test_alignment_event.py)"
)
_EVENT_CHECKS = (
    "check_estimators_dtypes",
    "check_sample_weights_pandas_series",
    "check_sample_weights_not_an_array",
    "check_sample_weights_shape",
    "check_sample_weights_not_overwritten",
)
_CLASSIFIER_EVENT_CHECKS = _EVENT_CHECKS + (
    "check_classifier_data_not_an_array",
    "check_classifiers_classes",
)

EXPECTED = {
    "StumpBinner": {
        **dict.fromkeys(_EVENT_CHECKS, EVENT_UNNAMED),
        "check_sample_weight_equivalence_on_dense_data": AUTO_TREND_KISH,
    },
    "WoEEncoder": {
        **dict.fromkeys(_EVENT_CHECKS, EVENT_UNNAMED),
        "check_transformer_general": CROSS_FIT,
        "check_transformer_general(readonly_memmap=True)": CROSS_FIT,
        "check_transformer_data_not_an_array": CROSS_FIT,
        "check_sample_weight_equivalence_on_dense_data": SAMPLING_WEIGHTS,
    },
    "Scorecard": {
        **dict.fromkeys(_CLASSIFIER_EVENT_CHECKS, EVENT_UNNAMED),
        "check_sample_weight_equivalence_on_dense_data": SAMPLING_WEIGHTS,
    },
    "Scorecard-cross_fit": {
        **dict.fromkeys(_CLASSIFIER_EVENT_CHECKS, EVENT_UNNAMED),
        "check_sample_weight_equivalence_on_dense_data": SAMPLING_WEIGHTS,
        "check_dont_overwrite_parameters": SMALL_CV,
        "check_methods_sample_order_invariance": SMALL_CV,
        "check_methods_subset_invariance": SMALL_CV,
        "check_dict_unchanged": SMALL_CV,
        "check_fit2d_predict1d": SMALL_CV,
        "check_f_contiguous_array_estimator": SMALL_CV,
    },
}


def _expected(estimator):
    name = type(estimator).__name__
    if isinstance(estimator, Scorecard) and estimator.cross_fit:
        name += "-cross_fit"
    return EXPECTED.get(name, {})


def _binner():
    return StumpBinner(n_estimators=5, random_state=0)
