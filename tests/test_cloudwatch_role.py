"""SL506's option: `account-role-managed-elsewhere = true` silences it (the fixtures cover the rest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from tests.conftest import FIXTURES

CASES = sorted(str(path) for path in (FIXTURES / "SL506-cloudwatch-role-missing").glob("*/fail*"))


@pytest.mark.parametrize("case", CASES, ids=lambda case: Path(case).parent.name)
def test_account_role_managed_elsewhere_silences_it(case: str) -> None:
    assert any(finding.rule_id == "SL506" for finding in lint([case], Config(select=("SL506",))).findings)
    elsewhere = Config(select=("SL506",), rule_options={"SL506": {"account-role-managed-elsewhere": True}})
    assert not lint([case], elsewhere).findings
