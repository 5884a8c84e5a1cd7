"""Shared test configuration.

Hypothesis explores new random examples on every local run (that is how the fuzz and property
suites keep finding new inputs); on CI (``CI`` set, as ``.ci/run`` is run) it is derandomised, so
that a red CI run is reproducible from its log and a green one does not depend on luck.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
