"""scikit-learn's estimator checks on StumpBinner and WoEEncoder (Scorecard: its own file)."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from infodiv.credit._woe_encoder import WoEEncoder
from tests.estimator_checks import _binner, _expected


@parametrize_with_checks(
    [_binner(), WoEEncoder(binner=_binner(), cv=3, random_state=0)],
    expected_failed_checks=_expected,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
