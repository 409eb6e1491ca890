"""Hypothesis profiles: 'ci' is derandomized (repeatable), 'dev' explores more, 'fuzz'
(``HYPOTHESIS_PROFILE=fuzz python -m pytest``) is the long search, not run by default.

Tests that pin ``max_examples`` in their own ``@settings`` keep that bound in every profile.
"""

import os

# One BLAS thread per test process (before numpy is loaded here or in xdist's workers, which
# inherit the environment): the suite runs a process per core, and BLAS pools of several
# threads each make the many small products spin against each other on a loaded machine.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "fuzz",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
