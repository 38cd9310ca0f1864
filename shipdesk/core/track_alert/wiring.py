"""The Track Alert listener as the sync runs it: credentials from the secrets, each push stored at once.

:func:`build_listener` checks that the secret the configured credential mode needs is set (a listener
that would refuse every push is a configuration error, said before it starts); :func:`store_push` is
the usual sink: the scan and the package's new status in the store, and the push remembered for
coverage (``subscriptions.heard_from``). Writing to Acumatica is left to the sync's next cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shipdesk.core.clock import Clock
from shipdesk.core.context import AppContext
from shipdesk.core.track_alert import subscriptions
from shipdesk.core.track_alert.auth import ListenerCredentials, PushAuth
from shipdesk.core.track_alert.listener import AlertListener, PostRoute
from shipdesk.core.track_alert.push import PushedEvent
from shipdesk.core.tracking import scans
from shipdesk.errors import ConfigError, ShipdeskError
from shipdesk.i18n import _


def store_push(event: PushedEvent, now: Clock) -> bool:
    """Store one pushed event; False for a number shipdesk does not track."""
    update = scans.record_tracking(event.tracking_number, [event.event], source="push",
                                   delivered_at=event.delivered_at, received_by=event.received_by)
    if update is None:
        return False
    subscriptions.heard_from(update.tracking_number, now())
    return True


def build_listener(context: AppContext, store: Callable[[PushedEvent], bool], now: Clock | None = None, *,
                   routes: Sequence[PostRoute] = ()) -> AlertListener:
    """The listener of ``[sync.listener]`` (not started), handing each push to ``store`` (e.g.
    :func:`store_push`); ConfigError when its secret is not set. ``now`` (default: the context's clock) is
    what event times are checked against. ``routes``: other endpoints it serves (Acumatica's pushes); with
    ``[sync.listener] enabled`` off it serves only those."""
    settings = context.config.sync.listener
    if not settings.enabled:
        return AlertListener(auth=None, on_event=store, host=settings.host, port=settings.port, routes=routes)
    credentials = ListenerCredentials(
        client_id=settings.client_id or context.config.ups.client_id,
        client_secret=_optional_secret(context, "track_alert.client_secret"),
        credential=_optional_secret(context, "track_alert.credential"))
    token_mode = settings.credential_mode == "token"
    needed = "track_alert.client_secret" if token_mode else "track_alert.credential"
    if not (credentials.accepts_tokens if token_mode else credentials.credential):
        raise ConfigError(_("The Track Alert listener is enabled but its secret {needed} is not set.").format(
                              needed=needed),
                          hint=_("Run `shipdesk credentials set {needed}`, or turn the listener off.").format(
                                   needed=needed))

    def on_event(event: PushedEvent) -> bool:  # runs on the listener's request thread
        try:
            return store(event)
        finally:
            context.store.release_thread()  # this request's thread ends now: so does its connection

    return AlertListener(auth=PushAuth(credentials), on_event=on_event, host=settings.host, port=settings.port,
                         path=settings.path, token_path=settings.token_url_path, now=now or context.now,
                         routes=routes)


def _optional_secret(context: AppContext, name: str) -> str:
    try:
        return context.secret(name)
    except (KeyError, ShipdeskError):
        return ""
