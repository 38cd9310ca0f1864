"""The sync on Linux: a systemd unit that runs ``shipdesk-cli sync`` (``shipdesk-cli service install`` prints
it there, filled in with this install's program and the machine's folders).

``packaging/linux/shipdesk-sync.service`` is the same unit for the paths the docs use; a test keeps the two
equal.
"""

from __future__ import annotations

from pathlib import PurePath

from shipdesk.i18n import _

SERVICE = "shipdesk-sync"
UNIT_NAME = f"{SERVICE}.service"
UNIT_FOLDER = "/etc/systemd/system"


def unit_text(program: str | PurePath, *, config: str | PurePath, data_dir: str | PurePath,
              user: str = "shipdesk") -> str:
    """The unit: the sync as ``user``, with the machine's config file and data folder, secrets from a file."""
    return f"""[Unit]
Description=shipdesk sync (Acumatica <-> UPS)
After=network-online.target
Wants=network-online.target

[Service]
User={user}
Environment=SHIPDESK_CONFIG={config}
Environment=SHIPDESK_DATA_DIR={data_dir}
# SHIPDESK_ACUMATICA_PASSWORD=..., SHIPDESK_UPS_CLIENT_SECRET=... (file mode 600, owner root)
EnvironmentFile=/etc/shipdesk/secrets.env
ExecStart={program} sync
# shipdesk stops cleanly (and signs out of Acumatica) on SIGINT
KillSignal=SIGINT
TimeoutStopSec=60
Restart=on-failure
RestartSec=60

[Install]
WantedBy=multi-user.target
"""


def install_steps(data_dir: str | PurePath, user: str = "shipdesk") -> list[str]:
    """What an administrator runs after saving the unit (the data folder must be the service user's)."""
    return [_("save it as {file}").format(file=f"{UNIT_FOLDER}/{UNIT_NAME}"),
            _("give the data folder to its user: {command} (and to the group of the people who run the app or "
              "commands on this machine)").format(command=f"install -d -o {user} {data_dir}"),
            f"systemctl daemon-reload && systemctl enable --now {SERVICE}",
            _("{command}  (its log; also {file})").format(command=f"journalctl -u {SERVICE} -f",
                                                          file=f"{data_dir}/logs/shipdesk-cli.log")]
