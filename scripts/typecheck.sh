#!/usr/bin/env bash
# mypy over the package as it installs: `rules/` is shipped as `stagelint.rules` (see pyproject.toml),
# a mapping mypy cannot follow in the source tree, so check an assembled copy of the installed layout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
case "$python" in /*) ;; *) python="$PWD/$python" ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/stagelint" "$work/stagelint"
cp -r "$root/rules" "$work/stagelint/rules"
cd "$work"
"$python" -m mypy --config-file "$root/pyproject.toml" stagelint | sed "s#^stagelint/rules/#rules/#"
