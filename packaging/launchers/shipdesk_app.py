# The frozen desktop program (windowed on Windows): the app when started bare, else the command given.
import sys

from shipdesk.entry_points import app_main

sys.exit(app_main())
