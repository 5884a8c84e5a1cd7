"""scikit-learn's estimator checks on Scorecard, without and with cross-fitting."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from infodiv.credit._scorecard import Scorecard
from infodiv.credit._woe_encoder import WoEEncoder
from tests.estimator_checks import _binner, _expected


@parametrize_with_checks(
    [
        Scorecard(encoder=WoEEncoder(binner=_binner(), cv=3, random_state=0), cross_fit=False),
        Scorecard(encoder=WoEEncoder(binner=_binner(), cv=3, random_state=0)),
    ],
    expected_failed_checks=_expected,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
