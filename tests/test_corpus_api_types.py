"""SL402 against every HTTP and WebSocket stage of ../shared/corpus: it must not fire on a valid file.

The one file it fires on is listed, with why it is a true positive; anything else is a false positive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")

# (path, line): a SAM translator *test input* (never deployed) that sets `DataTraceEnabled: true` in
# `Globals.HttpApi.RouteSettings`, which API Gateway rejects on HTTP APIs.
EXPECTED = {
    ("sam/aws__serverless-application-model/tests/translator/input/http_api_explicit_stage.yaml", 13),
}


def test_setting_unsupported_for_api_type_is_silent_on_the_corpus() -> None:
    report = lint([str(CORPUS)], Config(jobs=1, select=("SL402",)))
    v2_stages = [stage for result in report.files for stage in result.stages
                 if stage.api_kind in ("HTTP", "WEBSOCKET")]
    assert len(v2_stages) >= 30  # the check means something only if it saw the HTTP and WebSocket stages
    found = {(Path(finding.position.path).resolve().relative_to(CORPUS.resolve()).as_posix(), finding.position.line)
             for finding in report.findings if finding.rule_id == "SL402"}
    assert found == EXPECTED
