"""The ship flow on fresh sandboxes, as the flow tests have it."""

from tests.flow.conftest import config, flow, make_flow, read_acumatica  # noqa: F401  (fixtures)
