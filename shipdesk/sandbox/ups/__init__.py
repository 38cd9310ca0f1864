"""A local stand-in for the UPS REST APIs (OAuth, Ship, Void, Label Recovery, Rating,
Address Validation, Track, Track Alert) that speaks the wire formats of the vendored specs."""

from shipdesk.sandbox.ups.app import UpsSandbox

__all__ = ["UpsSandbox"]
