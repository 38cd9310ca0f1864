"""The command line's language, chosen before the parser is built (its help is translated too).

The config file is read for ``[region] language`` alone, quietly: a broken file is reported later by the
command that reads it, in the OS's language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence

from shipdesk.core.settings.paths import locations
from shipdesk.i18n import use_language


def _config_argument(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--config="):
            return arg.split("=", 1)[1]
    return None


def configured_language(argv: Sequence[str]) -> str:
    """``[region] language`` of the config the command will use; ``"system"`` when it says nothing or is unreadable."""
    try:
        path = locations(_config_argument(argv)).config
        with path.open("rb") as handle:
            value = tomllib.load(handle).get("region", {}).get("language", "system")
    except (OSError, ValueError, AttributeError, tomllib.TOMLDecodeError):
        return "system"
    return value if isinstance(value, str) else "system"


def choose_language(argv: Sequence[str]) -> str:
    return use_language(configured_language(argv))
