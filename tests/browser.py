"""Headless Chromium for the HTML report's tests and screenshot script: Debian's /usr/bin/chromium
driven by Playwright (its wheel carries the driver; `playwright install` is never run, CI installs
the `chromium` package in .ci/run). The flags keep the browser off the network: no background
updates, component downloads, sync or QUIC."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched browser (Playwright's `Browser`), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
