"""The sync running unattended: the start/stop logic any service manager drives (``runner``) and the
Windows service around it (``windows_service``, pywin32, imported only on Windows).

Linux keeps its systemd unit in ``packaging/linux/``; it runs ``shipdesk-cli sync`` directly.
"""
