import sys

from infodiv.cli import main

sys.exit(main())
