import sys

from shipdesk.cli import main

sys.exit(main())
