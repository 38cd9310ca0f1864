"""``scale test``: the station's scale, as ``[scale]`` describes it, read once (the settings dialog's Test button).

Exit code: 0 the scale answered with a stable weight (zero counts), 1 it did not (the sentence says what it
shows and what to check), 2 no scale is set up. With ``--json``: ``ok``, ``message``, and the reading's
``state``, ``weight`` and ``unit``.
"""

from __future__ import annotations

import argparse

from shipdesk.cli.exit_codes import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from shipdesk.cli.output import Output
from shipdesk.core.settings.config import load_config
from shipdesk.core.settings.paths import config_path
from shipdesk.devices.scales import check_scale
from shipdesk.i18n import _


def scale(args: argparse.Namespace, out: Output) -> int:
    settings = load_config(config_path(args.config)).scale.device()
    if not settings.enabled:
        out.emit({"ok": False, "message": "No scale is set up for this station."},
                 [_("No scale is set up for this station: choose one in [scale] (Settings → Scale).")])
        return EXIT_USAGE
    result = check_scale(settings)
    reading = result.reading
    out.emit({"ok": result.ok, "message": result.message, "where": settings.where,
              "state": reading.state.value if reading else None,
              "weight": str(reading.weight) if reading and reading.weight is not None else None,
              "unit": reading.unit.value if reading and reading.unit else None},
             [f"{settings.where}: {result.message}" if result.ok else result.message])
    return EXIT_OK if result.ok else EXIT_SOME_FAILED
