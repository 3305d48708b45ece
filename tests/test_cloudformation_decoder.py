"""CloudFormation decoder: values, states, reasons and exact positions (YAML and JSON)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from stagelint.config import DecodeOptions
from stagelint.decoders.documents import decode_document
from stagelint.decoders.result import DecodedFile
from stagelint.model import ApiKind, SettingScope, Stage
from stagelint.tracked import State

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def decode(text: str, path: str = "t.yaml", options: DecodeOptions | None = None) -> DecodedFile:
    text = textwrap.dedent(text).lstrip("\n")
    kind = "json" if path.endswith(".json") else "yaml"
    return decode_document(path, text, kind, options or DecodeOptions())


def only_stage(result: DecodedFile) -> Stage:
    assert not result.failures, result.failures
    assert len(result.stages) == 1, result.stages
    return result.stages[0]


REST = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Size:
    Type: String
    Default: "2.0"
  NoDefault:
    Type: String
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Prod:
    Type: AWS::ApiGateway::Stage
    Metadata:
      stagelint:
        ignore: [SL102, SL103]
    Properties:
      StageName: prod
      RestApiId: !Ref Api
      CacheClusterEnabled: "true"
      CacheClusterSize: !Ref Size
      TracingEnabled: !Ref NoDefault
      ClientCertificateId: !GetAtt Cert.ClientCertificateId
      Variables:
        color: blue
      Tags:
        - Key: team
          Value: core
      MethodSettings:
        - ResourcePath: /~1users~1{id}
          HttpMethod: GET
          CachingEnabled: true
          CacheTtlInSeconds: "300"
          ThrottlingRateLimit: "10.5"
      CanarySetting:
        PercentTraffic: 10
      AccessLogSetting:
        DestinationArn: !Sub "arn:aws:logs:${AWS::Region}:1:log-group:x"
        Format: $context.requestId
"""


def test_rest_stage_values_and_positions() -> None:
    stage = only_stage(decode(REST))
    assert stage.address == "Resources.Prod"
    assert stage.api_kind is ApiKind.REST
    assert (stage.position.line, stage.position.column) == (11, 3)
    assert stage.name.value == "prod"
    assert (stage.name.position.line, stage.name.position.column) == (17, 18)
    assert stage.api.value == "Api" and stage.api.raw == "!Ref Api"
    # "true" written as a string normalises to a boolean.
    assert stage.cache_cluster_enabled.value is True
    assert stage.variables.is_known and stage.variables.value is not None
    assert [(v.name.value, v.value.value) for v in stage.variables.value] == [("color", "blue")]
    assert stage.tags.value == {"team": "core"}
    assert stage.ignored_rules == ("SL102", "SL103")
    assert stage.canary is not None and stage.canary.percent_traffic.value == 10
    assert stage.throttling_rate_limit.is_absent


def test_parameter_default_resolves_with_origin_at_both_places() -> None:
    stage = only_stage(decode(REST))
    size = stage.cache_cluster_size
    assert size.is_known and size.value == "2.0"
    # The finding points at the `!Ref` (tag included) ...
    assert (size.position.line, size.position.column, size.position.end_column) == (20, 25, 34)
    # ... and the origin names the Default.
    assert size.origin is not None
    assert size.origin.expression == "!Ref Size"
    assert (size.origin.position.line, size.origin.position.column) == (5, 14)
    assert "(line 5)" in size.describe()


def test_parameter_without_default_is_unknown_with_reason() -> None:
    stage = only_stage(decode(REST))
    assert stage.tracing_enabled.state is State.UNKNOWN
    assert stage.tracing_enabled.reason == "parameter NoDefault has no default"
    assert stage.client_certificate_id.is_unknown
    assert "Cert.ClientCertificateId" in (stage.client_certificate_id.reason or "")


def test_unknown_values_are_listed_as_notes() -> None:
    result = decode(REST)
    messages = [note.message for note in result.notes]
    assert any("tracing_enabled" in message and "NoDefault" in message for message in messages)
    assert any("AWS::Region is a pseudo parameter" in message for message in messages)


def test_method_settings_keep_escapes_and_normalise_numbers() -> None:
    stage = only_stage(decode(REST))
    (setting,) = stage.method_settings
    assert setting.scope is SettingScope.METHOD
    assert setting.resource_path.value == "/~1users~1{id}"
    assert setting.http_method.value == "GET"
    assert setting.cache_ttl_in_seconds.value == 300
    assert setting.throttling_rate_limit.value == 10.5
    assert setting.method_path.is_absent and setting.route_key.is_absent
    assert (setting.cache_ttl_in_seconds.position.line, setting.cache_ttl_in_seconds.position.column) == (
        32,
        30,
    )


def test_sub_with_pseudo_parameter_is_unknown() -> None:
    stage = only_stage(decode(REST))
    assert stage.access_log is not None
    assert stage.access_log.destination_arn.is_unknown
    assert stage.access_log.format.value == "$context.requestId"


def test_parameter_overrides_from_command_line_and_file(tmp_path: Path) -> None:
    parameters = tmp_path / "params.json"
    parameters.write_text(
        json.dumps(
            [
                {"ParameterKey": "Size", "ParameterValue": "6.1"},
                {"ParameterKey": "NoDefault", "ParameterValue": "false"},
            ]
        )
    )
    from_file = only_stage(decode(REST, options=DecodeOptions(cloudformation_parameter_files=(str(parameters),))))
    assert from_file.cache_cluster_size.value == "6.1"
    assert from_file.tracing_enabled.value is False
    assert from_file.cache_cluster_size.origin is not None
    assert from_file.cache_cluster_size.origin.position.path == str(parameters)
    both = only_stage(
        decode(
            REST,
            options=DecodeOptions(
                cloudformation_parameter_files=(str(parameters),),
                cloudformation_parameters=(("Size", "0.5"),),
            ),
        )
    )
    assert both.cache_cluster_size.value == "0.5"  # the command line wins


def test_parameter_file_as_plain_mapping(tmp_path: Path) -> None:
    parameters = tmp_path / "params.json"
    parameters.write_text('{"Size": "13.5"}')
    stage = only_stage(decode(REST, options=DecodeOptions(cloudformation_parameter_files=(str(parameters),))))
    assert stage.cache_cluster_size.value == "13.5"


CONDITIONS = """
Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [prod]
  Unknown:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Maybe: !Equals [!Ref Unknown, "yes"]
  Either: !Or [!Condition IsProd, !Condition Maybe]
Resources:
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: !If [IsProd, prod, dev]
      CacheClusterSize: !If [Maybe, "0.5", "9"]
      CacheClusterEnabled: !If [Maybe, true, !Ref AWS::NoValue]
      TracingEnabled: !If [Either, true, false]
      AccessLogSetting: !If
        - Maybe
        - DestinationArn: arn:one
        - !Ref AWS::NoValue
  DevOnly:
    Type: AWS::ApiGateway::Stage
    Condition: IsDev
    Properties:
      StageName: dev
"""


def test_decidable_conditions_pick_the_branch() -> None:
    result = decode(CONDITIONS)
    stage = only_stage(result)  # DevOnly's condition is false for every allowed value: it is not created
    assert stage.name.value == "prod"
    assert (stage.name.position.line, stage.name.position.column) == (17, 31)
    assert stage.tracing_enabled.value is True  # Or with a true side is decided
    assert any("DevOnly is not created" in note.message for note in result.notes)


def test_undecidable_if_gives_every_branch_as_candidate() -> None:
    stage = only_stage(decode(CONDITIONS))
    size = stage.cache_cluster_size
    assert size.is_unknown and "Maybe" in (size.reason or "")
    assert [candidate.value for candidate in size.candidates] == ["0.5", "9"]
    assert [candidate.position.line for candidate in size.candidates] == [18, 18]
    enabled = stage.cache_cluster_enabled
    assert [candidate.state for candidate in enabled.candidates] == [State.KNOWN, State.ABSENT]


def test_undecidable_if_around_a_structure_gives_candidates_per_leaf() -> None:
    stage = only_stage(decode(CONDITIONS))
    assert stage.access_log is not None
    destination = stage.access_log.destination_arn
    assert destination.is_unknown
    assert [candidate.state for candidate in destination.candidates] == [State.KNOWN, State.ABSENT]
    assert destination.candidates[0].value == "arn:one"


def test_sub_of_known_parts_resolves() -> None:
    stage = only_stage(
        decode("""
        Parameters:
          Env: {Type: String, Default: prod}
        Resources:
          S:
            Type: AWS::ApiGateway::Stage
            Properties:
              StageName: !Sub "${Env}_v1"
              Description: !Sub ["${A}-${Env}", {A: x}]
              ClientCertificateId: !Join ["-", [a, !Ref Env]]
        """)
    )
    assert stage.name.value == "prod_v1"
    assert stage.name.origin is not None and stage.name.origin.position.line == 2
    assert stage.description.value == "x-prod"
    assert stage.client_certificate_id.value == "a-prod"


def test_deployment_with_stage_name_creates_a_stage() -> None:
    stage = only_stage(
        decode("""
        Resources:
          Deployment:
            Type: AWS::ApiGateway::Deployment
            Properties:
              RestApiId: !Ref Api
              StageName: v1
              StageDescription:
                ThrottlingBurstLimit: -1
                ThrottlingRateLimit: "50"
                CachingEnabled: true
                CacheTtlInSeconds: 7200
                CacheClusterEnabled: true
                CacheClusterSize: "0.5"
                MethodSettings:
                  - {ResourcePath: /pets, HttpMethod: POST, CacheTtlInSeconds: 5}
          Api:
            Type: AWS::ApiGateway::RestApi
        """)
    )
    assert stage.name.value == "v1"
    assert stage.deployment_id.value == "Deployment"
    assert stage.api.value == "Api"
    assert stage.throttling_burst_limit.value == -1
    assert stage.throttling_rate_limit.value == 50.0
    assert stage.cache_cluster_size.value == "0.5"
    stage_wide, pets = stage.method_settings
    assert (stage_wide.resource_path.value, stage_wide.http_method.value) == ("/*", "*")
    assert stage_wide.cache_ttl_in_seconds.value == 7200
    assert (
        stage_wide.cache_ttl_in_seconds.position.line,
        stage_wide.cache_ttl_in_seconds.position.column,
    ) == (11, 28)
    assert stage_wide.throttling_burst_limit.is_absent  # modelled once, on the stage
    assert pets.resource_path.value == "/pets"


def test_deployment_without_stage_name_is_no_stage() -> None:
    result = decode("""
        Resources:
          Deployment:
            Type: AWS::ApiGateway::Deployment
            Properties: {RestApiId: x}
        """)
    assert result.format == "cloudformation" and result.stages == ()


V2 = """
Resources:
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
  Default:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref HttpApi
      StageName: $default
      DefaultRouteSettings:
        ThrottlingBurstLimit: 100
        DetailedMetricsEnabled: "true"
      RouteSettings:
        GET /items:
          ThrottlingRateLimit: -5
      AccessLogSettings:
        DestinationArn: arn:aws:logs:x
      StageVariables:
        a: b
  Other:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !ImportValue shared-api
      StageName: live
"""


def test_v2_stage_route_settings_and_api_kind() -> None:
    result = decode(V2)
    default, other = result.stages
    assert default.api_kind is ApiKind.HTTP
    assert other.api_kind is ApiKind.UNKNOWN
    assert default.name.value == "$default"
    default_route, route = default.method_settings
    assert default_route.scope is SettingScope.DEFAULT_ROUTE
    assert default_route.throttling_burst_limit.value == 100
    assert default_route.metrics_enabled.value is True
    assert route.scope is SettingScope.ROUTE
    assert route.route_key.value == "GET /items"
    assert (route.route_key.position.line, route.route_key.position.column) == (15, 9)
    assert route.throttling_rate_limit.value == -5
    assert default.access_log is not None and default.access_log.destination_arn.value == "arn:aws:logs:x"
    assert default.variables.value is not None and len(default.variables.value) == 1
    assert default.cache_cluster_enabled.is_absent


def test_waf_association_sets_the_stage_web_acl() -> None:
    result = decode("""
        Resources:
          Api: {Type: AWS::ApiGateway::RestApi}
          Prod:
            Type: AWS::ApiGateway::Stage
            Properties: {StageName: prod, RestApiId: !Ref Api}
          Test:
            Type: AWS::ApiGateway::Stage
            Properties: {StageName: test, RestApiId: !Ref Api}
          ByRef:
            Type: AWS::WAFv2::WebACLAssociation
            Properties:
              ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}
              WebACLArn: arn:aws:wafv2:acl-one
          ByName:
            Type: AWS::WAFRegional::WebACLAssociation
            Properties:
              ResourceArn: !Join
                - ""
                - ["arn:aws:apigateway:", !Ref AWS::Region, "::/restapis/", !Ref Api, "/stages/test"]
              WebACLId: !GetAtt Acl.Id
        """)
    prod, test = result.stages
    assert prod.web_acl_arn.value == "arn:aws:wafv2:acl-one"
    assert prod.web_acl_arn.position.line == 13
    assert test.web_acl_arn.is_unknown


def test_cdk_waf_association_in_corpus() -> None:
    path = (
        "cdk/awslabs__aws-solutions-constructs/source/patterns/@aws-solutions-constructs/aws-wafwebacl-apigateway/"
        "test/integ.wafapi-no-arguments.js.snapshot/wafapi-no-arguments.template.json"
    )
    (stage,) = decode_corpus(path).stages
    assert not stage.web_acl_arn.is_absent


def test_json_template_positions_and_long_forms() -> None:
    text = json.dumps(
        {
            "Parameters": {"Size": {"Type": "String", "Default": "0.5"}},
            "Resources": {
                "S": {
                    "Type": "AWS::ApiGateway::Stage",
                    "Properties": {
                        "StageName": "prod",
                        "CacheClusterEnabled": "true",
                        "CacheClusterSize": {"Ref": "Size"},
                        "MethodSettings": [{"ResourcePath": "/*", "HttpMethod": "*", "CacheTtlInSeconds": "60"}],
                    },
                }
            },
        },
        indent=2,
    )
    stage = only_stage(decode(text, "t.json"))
    lines = text.splitlines()
    size_line = next(i for i, line in enumerate(lines, 1) if '"CacheClusterSize"' in line)
    assert stage.cache_cluster_size.value == "0.5"
    assert stage.cache_cluster_size.position.line == size_line
    assert stage.cache_cluster_size.position.column == lines[size_line - 1].index("{") + 1
    assert stage.cache_cluster_size.origin is not None
    assert stage.cache_cluster_size.origin.expression == '{"Ref": "Size"}'
    assert stage.cache_cluster_enabled.value is True
    assert stage.method_settings[0].cache_ttl_in_seconds.value == 60
    name_line = next(i for i, line in enumerate(lines, 1) if '"StageName"' in line)
    assert (stage.name.position.line, stage.name.position.column) == (
        name_line,
        lines[name_line - 1].index('"prod"') + 1,
    )


def test_unexpected_types_are_unknown_not_a_crash() -> None:
    stage = only_stage(
        decode("""
        Resources:
          S:
            Type: AWS::ApiGateway::Stage
            Properties:
              StageName: [a, b]
              CacheClusterSize: {x: 1}
              MethodSettings: {ResourcePath: /x}
              Variables: [1]
        """)
    )
    assert stage.name.is_unknown and stage.name.reason == "StageName is a list, not a single value"
    assert stage.cache_cluster_size.is_unknown
    assert stage.method_settings == ()
    assert stage.variables.is_unknown


def test_cdk_template_from_corpus() -> None:
    path = (
        "cdk/aws__aws-cdk/packages/@aws-cdk-testing/framework-integ/test/aws-apigateway/test/"
        "integ.restapi.js.snapshot/test-apigateway-restapi.template.json"
    )
    result = decode_corpus(path)
    assert result.format == "cloudformation"
    beta = next(stage for stage in result.stages if stage.name.known_equals("beta"))
    assert beta.cache_cluster_enabled.value is True
    assert beta.cache_cluster_size.value == "0.5"
    paths = {setting.resource_path.value for setting in beta.method_settings}
    assert "/~1api~1appliances" in paths and "/*" in paths


def decode_corpus(relative: str) -> DecodedFile:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip("shared corpus not available")
    text = path.read_text(encoding="utf-8")
    return decode_document(relative, text, "json" if relative.endswith(".json") else "yaml", DecodeOptions())
