"""Write docs/report-screenshot.png, the README's picture of `stagelint report` on the shared corpus.

    .venv/bin/python scripts/report_screenshot.py [OUTPUT.png]

Renders the report of ../shared/corpus with the same headless Chromium the browser test uses
(tests/browser.py), and screenshots the top of the page (summary and charts) at a modest size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import chromium  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_OUTPUT = REPO / "docs" / "report-screenshot.png"


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    with tempfile.TemporaryDirectory() as directory:
        page_file = Path(directory) / "report.html"
        # Run from the corpus's parent so the report shows short, relative paths (corpus/...).
        completed = subprocess.run([sys.executable, "-m", "stagelint", "report", "corpus", "-o", str(page_file)],
                                   cwd=CORPUS.parent, capture_output=True, text=True, check=False,
                                   env=dict(os.environ, PYTHONPATH=str(REPO)))
        if completed.returncode not in (0, 2) or not page_file.is_file():
            sys.stderr.write(completed.stderr)
            return 1
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1200, "height": 780}, device_scale_factor=1)
            page.goto(page_file.as_uri())
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output), type="png")
    print(f"wrote {output.relative_to(REPO) if output.is_relative_to(REPO) else output} "
          f"({output.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
