"""The bundle's executable: the same ``crm-whatsapp`` command line as the installed script."""

import sys

from crm_whatsapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
