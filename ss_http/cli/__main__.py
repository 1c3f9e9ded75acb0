import sys

from ss_http.cli import main

sys.exit(main())
