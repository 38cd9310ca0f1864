"""Automatic labelling: the sync labels every shipment that becomes ready, with no hands (``[ship] automatic``)."""
