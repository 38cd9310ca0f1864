"""shipdesk: Acumatica shipments to UPS labels and back."""

__version__ = "0.1.0"
