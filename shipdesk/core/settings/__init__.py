"""Settings: the config file's keys declared once, and where secrets and files live.

- ``config``: every key of the config file, declared once, and the typed, frozen ``Config`` the code
  reads; ``load_config`` / ``save_config``. A new setting is one line there.
- ``schema``: what a declaration is (``setting(...)``) and what can be asked of the declarations.
- ``reading`` / ``writing``: the file checked against the declarations / edited keeping comments.
- ``docs``: the key tables of docs/configuration.md, made from the declarations.
- ``secrets``: passwords and client secrets (environment, then the OS keyring), the UPS token cache.
- ``paths``: the data folder and the config file's place.
"""
