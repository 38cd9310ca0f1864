"""Demo mode and the sandboxes behind it: the ONE part of shipdesk that imports ``shipdesk.sandbox``.

``launcher`` builds a context on the sandboxes (their settings, secrets and clock); the command line's
``sandbox`` command and the desktop app reach the sandboxes through here too.
"""

from shipdesk.sandbox import Sandboxes, start_sandboxes

__all__ = ["Sandboxes", "start_sandboxes"]
