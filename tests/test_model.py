"""The model's contracts: unknown is never truthy, computed properties, conditional values."""

from __future__ import annotations

import pytest

from stagelint.config import DEFAULT_OPTIONS
from stagelint.decoders.documents import decode_document
from stagelint.model import Stage
from stagelint.positions import SourcePosition
from stagelint.rule_api import first_violation
from stagelint.tracked import Origin, Tracked

HERE = SourcePosition("x.yaml", 3, 5, 3, 9)


def _stage(text: str) -> Stage:
    decoded = decode_document("x.yaml", text, "yaml", DEFAULT_OPTIONS)
    assert not decoded.failures, decoded.failures
    return decoded.stages[0]


def test_tracked_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(Tracked.unknown(HERE, "var.x has no default"))
    with pytest.raises(TypeError):
        bool(Tracked.known(True, HERE))


def test_describe_names_the_origin() -> None:
    value = Tracked.known("5", HERE, "cache_cluster_size", origin=Origin("local.cache_gb", SourcePosition(
        "locals.tf", 3, 14, 3, 17)))
    assert value.describe() == 'cache_cluster_size = local.cache_gb → "5" (locals.tf:3)'


def test_first_violation_judges_candidates() -> None:
    def candidates(*values: object) -> Tracked[object]:
        return Tracked.unknown(HERE, "Fn::If on IsProd", "CacheClusterSize",
                               candidates=tuple(Tracked.known(value, HERE) for value in values))

    bad = lambda value: value not in ("0.5", "1.6")  # noqa: E731
    assert first_violation(candidates("7", "9"), bad) is not None
    assert first_violation(candidates("7", "0.5"), bad) is None
    only_unknown = Tracked.unknown(HERE, "x", candidates=(Tracked.unknown(HERE, "y"),))
    assert first_violation(only_unknown, bad) is None
    with_absent = Tracked.unknown(HERE, "x", candidates=(Tracked.known("7", HERE), Tracked.absent(HERE)))
    assert first_violation(with_absent, bad) is None
    assert first_violation(Tracked.unknown(HERE, "var.x"), bad) is None


def test_computed_properties_and_cost() -> None:
    stage = _stage('stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.1"\n'
                   '    access_log_settings: {destination_arn: arn:aws:logs:x, format: $context.requestId}\n')
    assert stage.has_caching is True
    assert stage.estimated_monthly_cost == 146.0  # 0.200 $/h x 730 h
    assert stage.has_access_logging is True
    assert stage.has_canary is False
    assert stage.has_throttling is False
    off = _stage("stages:\n  - name: dev\n")
    assert (off.has_caching, off.estimated_monthly_cost, off.has_access_logging) == (False, 0.0, False)


def test_positions_are_one_based_code_points() -> None:
    stage = _stage('stages:\n  - name: "héllo"\n    cache_cluster_size: "0.5"\n')
    assert (stage.name.position.line, stage.name.position.column, stage.name.position.end_column) == (2, 11, 18)
    size = stage.cache_cluster_size
    assert (size.position.line, size.position.column) == (3, 25)
