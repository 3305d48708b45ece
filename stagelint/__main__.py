"""`python -m stagelint` runs the command-line interface."""

import sys

try:
    from stagelint.cli import main
except KeyboardInterrupt:  # Ctrl-C while the command line is still being imported: no traceback
    sys.stderr.write("stagelint: aborted\n")
    sys.exit(130)

if __name__ == "__main__":
    main()
