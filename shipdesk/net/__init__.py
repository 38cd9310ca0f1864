"""HTTP plumbing shared by the Acumatica and UPS clients: one retry policy, one transport seam."""

from shipdesk.net.retry import RetryPolicy
from shipdesk.net.transport import Transport

__all__ = ["RetryPolicy", "Transport"]
