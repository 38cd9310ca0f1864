"""The Acumatica push endpoint as the sync runs it: settings and secret read, a route for the listener.

A push endpoint that would refuse every push (its secret is not set) is a configuration error, said before the
listener starts.
"""

from __future__ import annotations

from shipdesk.core.acumatica_push.inbox import PushInbox
from shipdesk.core.acumatica_push.receiver import AcumaticaPushRoute, PushSettings
from shipdesk.core.context import AppContext
from shipdesk.errors import ConfigError, ShipdeskError
from shipdesk.i18n import _

SECRET = "acumatica.push_secret"


def push_route(context: AppContext, inbox: PushInbox) -> AcumaticaPushRoute | None:
    """The route of ``[acumatica.push]``, or None when it is off; ConfigError when its secret is not set."""
    settings = context.config.acumatica.push
    if not settings.enabled:
        return None
    try:
        secret = context.secret(SECRET)
    except (KeyError, ShipdeskError):
        secret = ""
    if not secret or not settings.header_name.strip():
        raise ConfigError(_("Acumatica push notifications are enabled but the header that proves them is not set up."),
                          hint=_("Run `shipdesk credentials set {SECRET}` with the Header Value typed on Push "
                                 "Notifications (SM302000), and set [acumatica.push] header_name to its Header Name; "
                                 "or turn the pushes off.").format(SECRET=SECRET))
    return AcumaticaPushRoute(PushSettings(path=settings.path, header_name=settings.header_name.strip(),
                                           secret=secret, shipment_field=settings.shipment_field,
                                           query=settings.query), inbox)
