"""CloudFormation decoder, continued: duplicate keys and bad input (syntax errors with their
position, unknown tags, YAML that is no template, properties of the wrong shape)."""

from __future__ import annotations

import pytest

from stagelint.config import DecodeOptions
from stagelint.decoders.documents import decode_document
from tests.test_cloudformation_decoder import decode, decode_corpus, only_stage


# -- duplicate keys -------------------------------------------------------------------------------
def test_duplicate_keys_give_sl010_naming_both_lines() -> None:
    result = decode("""
        Resources:
          S:
            Type: AWS::ApiGateway::Stage
            Properties:
              CacheClusterSize: "0.5"
              CacheClusterSize: "6.1"
        """)
    stage = only_stage(result)
    assert stage.cache_cluster_size.value == "6.1"  # the later one wins
    (duplicate,) = result.duplicate_keys  # data; the checker reports it as SL010
    violation = duplicate.violation
    assert violation.position.line == 6 and violation.position.column == 7
    assert "line 5" in violation.message and "line 6" in violation.message
    assert violation.attribute == "duplicate-key:Resources.S.Properties.CacheClusterSize"


@pytest.mark.parametrize(
    "path",
    [
        "cloudformation-yaml/aws-cloudformation__cfn-lint/test/fixtures/templates/bad/duplicate.yaml",
        "cloudformation-json/aws-cloudformation__cfn-lint/test/fixtures/templates/bad/duplicate.json",
    ],
)
def test_corpus_duplicate_files_give_sl010(path: str) -> None:
    result = decode_corpus(path)
    assert not result.failures
    lines = sorted(duplicate.span.line for duplicate in result.duplicate_keys)
    # The key is written three times: the second and third each override the one before.
    assert len(lines) == 2


def test_duplicates_in_nested_lists_are_found() -> None:
    result = decode("""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          S:
            Type: AWS::ApiGateway::Stage
            Properties:
              MethodSettings:
                - HttpMethod: GET
                  HttpMethod: PUT
        """)
    (duplicate,) = result.duplicate_keys
    assert duplicate.violation.attribute == "duplicate-key:Resources.S.Properties.MethodSettings[0].HttpMethod"


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "text", "line"),
    [
        ("t.yaml", "Resources:\n  S:\n\tType: AWS::ApiGateway::Stage\n", 3),
        ("t.yaml", 'Resources:\n  S:\n    Type: "AWS::ApiGateway::Stage\n', 4),
        ("t.json", '{"Resources": {"S": {"Type": "AWS::ApiGateway::Stage"},}}', 1),
    ],
)
def test_syntax_errors_are_parse_failures_with_position(path: str, text: str, line: int) -> None:
    result = decode_document(path, text, "json" if path.endswith(".json") else "yaml", DecodeOptions())
    (failure,) = result.failures
    assert failure.position is not None and failure.position.line == line


def test_unknown_tag_is_a_parse_failure_and_the_value_unknown() -> None:
    result = decode("""
        Resources:
          S:
            Type: AWS::ApiGateway::Stage
            Properties:
              StageName: !Reff Name
        """)
    (failure,) = result.failures
    assert "!Reff" in failure.message
    assert failure.position is not None and (failure.position.line, failure.position.column) == (5, 18)
    assert result.stages[0].name.is_unknown


@pytest.mark.parametrize(
    "text", ["- a\n- b\n", "just a string\n", "Resources:\n  - a\n", "Resources:\n  web:\n    image: nginx\n"]
)
def test_yaml_that_is_not_a_template_is_skipped(text: str) -> None:
    result = decode_document("t.yaml", text, "yaml", DecodeOptions())
    assert result.format is None and result.stages == ()
    assert result.skipped_reason


def test_properties_of_the_wrong_shape_do_not_crash() -> None:
    result = decode("""
        Resources:
          A:
            Type: AWS::ApiGateway::Stage
            Properties: [1, 2]
          B:
            Type: AWS::ApiGateway::Stage
          C: 5
          D:
            Type: [AWS::ApiGateway::Stage]
        """)
    assert [stage.address for stage in result.stages] == ["Resources.A", "Resources.B"]
    assert result.stages[0].name.is_absent
