"""The app context one command works on: the configured accounts, or with ``--demo`` the sandboxes."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import load_config
from shipdesk.core.settings.paths import locations
from shipdesk.demo.launcher import open_demo_context
from shipdesk.errors import ConfigError
from shipdesk.i18n import _

#: commands that work on the local store alone, so an install with nothing configured may run them
WORKS_UNCONFIGURED = frozenset({"list"})


@contextlib.contextmanager
def open_context(args: argparse.Namespace) -> Iterator[AppContext]:
    """The context for one command, closed at the end (demo sandboxes started for it are stopped)."""
    where = locations(args.config)  # the config file and data folder: the user's, or the machine's
    if args.demo:
        with open_demo_context(where.data, keep_day=True) as context:
            yield context
        return
    if args.config and not where.config.exists():  # a mistyped --config is not an install left unconfigured
        raise ConfigError(_("The config file {path} was not found.").format(path=where.config),
                          hint=_("Check the path given with --config (leave it out to use the usual one)."))
    config = load_config(where.config)
    if not config.is_configured and args.command not in WORKS_UNCONFIGURED:
        raise ConfigError(_("shipdesk is not configured yet ({path} has no Acumatica URL or UPS client id).").format(
            path=config.source), hint=_("Fill in the settings in the app, or try `shipdesk --demo`."))
    with AppContext.from_config(config, data_dir=where.data) as context:
        yield context
