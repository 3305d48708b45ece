"""The HTML report in a real browser (Debian's Chromium, driven by Playwright; see tests/browser.py).

The report of the shared corpus renders with no console error and no network request (every request
is recorded, and any but the page itself is aborted), a click on a header re-sorts the inventory,
the filter box hides rows, and a screenshot is written. A machine without /usr/bin/chromium fails
this test: CI installs the package (.ci/run), and a skipped browser test would prove nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, chromium
from tests.conftest import CORPUS, run_cli


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("browser") / "report.html"
    completed = run_cli("report", "corpus", "-o", str(output), cwd=CORPUS.parent)
    assert completed.returncode == 2, completed.stderr  # some corpus files do not parse: listed, not fatal
    return output


def _column(page: Any, heading: str) -> int:
    headings: list[str] = page.eval_on_selector_all("#stages thead th", "cells => cells.map(c => c.textContent)")
    return headings.index(heading)


def _cells(page: Any, column: int, attribute: str | None = None) -> list[str | None]:
    script = ("(rows, [column, attribute]) => rows.filter(r => !r.hidden).map(r => attribute ? "
              "r.cells[column].getAttribute(attribute) : r.cells[column].textContent)")
    cells: list[str | None] = page.eval_on_selector_all("#stages tbody tr", script, [column, attribute])
    return cells


def test_report_in_a_browser(report_file: Path, tmp_path: Path) -> None:
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
    url = report_file.as_uri()
    requests: list[str] = []
    problems: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))

        def route(route: Any) -> None:
            requests.append(route.request.url)
            if route.request.url == url:
                route.continue_()
            else:
                route.abort()

        page.route("**/*", route)
        page.goto(url, wait_until="load")
        assert page.title().startswith("stagelint audit report")
        assert page.locator("#summary svg").count() == 5

        rows = page.locator("#stages tbody tr")
        total = rows.count()
        assert total > 200
        findings = _column(page, "findings")
        before = _cells(page, findings, "data-sort")
        page.locator("#stages thead th").nth(findings).click()
        assert page.locator("#stages thead th").nth(findings).get_attribute("aria-sort") == "ascending"
        ascending = [float(value or "nan") for value in _cells(page, findings, "data-sort")]
        assert ascending == sorted(ascending) and ascending != [float(v or "nan") for v in before]
        page.locator("#stages thead th").nth(findings).click()
        descending = [float(value or "nan") for value in _cells(page, findings, "data-sort")]
        assert descending == sorted(descending, reverse=True)
        name = _column(page, "name")
        unsorted = _cells(page, name)
        page.locator("#stages thead th").nth(name).click()
        names = _cells(page, name)
        in_order: bool = page.evaluate("names => names.every((n, i) => i === 0 || names[i - 1].localeCompare(n) <= 0)",
                                       names)
        assert in_order and names != unsorted

        page.locator("#filter").fill("staging")
        visible = page.locator("#stages tbody tr:not([hidden])")
        shown = visible.count()
        assert 0 < shown < total
        assert all("staging" in text.lower() for text in visible.all_inner_texts())
        assert page.locator("#shown").inner_text() == str(shown)
        page.locator("#filter").fill("")
        assert page.locator("#stages tbody tr:not([hidden])").count() == total

        screenshot = tmp_path / "report.png"
        page.screenshot(path=str(screenshot), full_page=False)
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert problems == []
    assert requests == [url]
