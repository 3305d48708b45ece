"""stagelint: a linter for AWS API Gateway stage configuration.

Only the version lives here: importing the package must stay free, so that
`stagelint --version` and the pre-commit hook start fast. The public API is in
`stagelint.api` (`from stagelint.api import lint`).
"""

__version__ = "0.1.0"
