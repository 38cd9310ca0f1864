# The frozen console program for scripts and the Windows service: commands only, never the app.
import sys

from shipdesk.entry_points import cli_main

sys.exit(cli_main())
