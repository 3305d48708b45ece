"""`python -m stagelint` runs the command-line interface."""

from stagelint.cli import main

if __name__ == "__main__":
    main()
