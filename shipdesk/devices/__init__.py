"""Devices at the packing station (scales today). No Qt and no store here: the app and the ship flow call in."""
