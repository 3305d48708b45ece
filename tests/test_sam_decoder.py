"""SAM: Serverless::Api / HttpApi stages, detection without a Transform, and the Globals merge."""

from __future__ import annotations

import textwrap

from stagelint.config import DecodeOptions
from stagelint.decoders.documents import decode_document
from stagelint.decoders.result import DecodedFile
from stagelint.model import ApiKind, SettingScope, SourceFormat, Stage


def decode(text: str) -> DecodedFile:
    return decode_document("t.yaml", textwrap.dedent(text).lstrip("\n"), "yaml", DecodeOptions())


def configured(result: DecodedFile) -> tuple[Stage, ...]:
    """The stages the template configures, without SAM's extra `Stage` stage (tests/test_sam_extra_stage.py)."""
    return tuple(stage for stage in result.stages if not stage.sam_extra_stage)


GLOBALS = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    CacheClusterEnabled: true
    CacheClusterSize: "0.5"
    TracingEnabled: true
    Variables:
      shared: one
      color: red
    MethodSettings:
      - ResourcePath: /*
        HttpMethod: "*"
        CacheTtlInSeconds: 300
Resources:
  Api:
    Type: AWS::Serverless::Api
    Metadata:
      stagelint:
        ignore: SL003
    Properties:
      StageName: prod
      CacheClusterSize: "6.1"
      Variables:
        color: blue
      MethodSettings:
        - ResourcePath: /items
          HttpMethod: GET
          CacheTtlInSeconds: 60
"""


def test_sam_api_stage() -> None:
    result = decode(GLOBALS)
    assert result.format == "sam"
    (stage,) = configured(result)
    assert stage.source.format is SourceFormat.SAM
    assert stage.address == "Resources.Api"
    assert stage.api.value == "Api" and stage.api_kind is ApiKind.REST
    assert stage.name.value == "prod"
    assert stage.ignored_rules == ("SL003",)


def test_value_from_globals_points_at_the_globals_line() -> None:
    (stage,) = configured(decode(GLOBALS))
    enabled = stage.cache_cluster_enabled
    assert enabled.value is True
    assert (enabled.position.line, enabled.position.column) == (4, 26)
    assert enabled.origin is not None and enabled.origin.expression == "Globals.Api.CacheClusterEnabled"
    assert "(line 4)" in enabled.describe()


def test_resource_value_wins_over_globals() -> None:
    (stage,) = configured(decode(GLOBALS))
    assert stage.cache_cluster_size.value == "6.1"
    assert stage.cache_cluster_size.position.line == 22
    assert stage.cache_cluster_size.origin is None


def test_maps_merge_and_lists_concatenate_globals_first() -> None:
    (stage,) = configured(decode(GLOBALS))
    assert stage.variables.value is not None
    variables = {variable.name.value: variable.value for variable in stage.variables.value}
    assert variables["color"].value == "blue" and variables["color"].position.line == 24
    assert variables["shared"].value == "one" and variables["shared"].position.line == 8
    assert variables["shared"].origin is not None
    paths = [setting.resource_path.value for setting in stage.method_settings]
    assert paths == ["/*", "/items"]
    from_globals = stage.method_settings[0].cache_ttl_in_seconds
    assert from_globals.position.line == 13 and from_globals.origin is not None


def test_http_api_defaults_and_route_settings() -> None:
    result = decode("""
        Globals:
          HttpApi:
            DefaultRouteSettings:
              ThrottlingBurstLimit: 10
        Resources:
          Http:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefaultRouteSettings:
                ThrottlingRateLimit: 5
              RouteSettings:
                "GET /a":
                  ThrottlingRateLimit: 1
              StageVariables:
                v: x
              AccessLogSettings:
                DestinationArn: !GetAtt Logs.Arn
        """)
    assert result.format == "sam"  # recognised by its resource types: no Transform
    (stage,) = configured(result)
    assert stage.api_kind is ApiKind.HTTP
    assert stage.name.value == "$default"
    default, route = stage.method_settings
    assert default.scope is SettingScope.DEFAULT_ROUTE
    assert default.throttling_burst_limit.value == 10 and default.throttling_burst_limit.position.line == 4
    assert default.throttling_rate_limit.value == 5
    assert route.route_key.value == "GET /a" and route.throttling_rate_limit.value == 1
    assert stage.variables.value is not None and stage.variables.value[0].value.value == "x"
    assert stage.access_log is not None and stage.access_log.destination_arn.is_unknown


def test_intrinsic_on_the_resource_replaces_a_globals_mapping() -> None:
    (stage,) = configured(decode("""
        Conditions:
          Never: !Equals [a, b]
        Globals:
          Api:
            AccessLogSetting:
              DestinationArn: arn:global
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              AccessLogSetting: !If [Never, {DestinationArn: arn:local}, !Ref AWS::NoValue]
        """))
    # SAM merges an intrinsic as a primitive: the resource's value wins, and here it is removed.
    assert stage.access_log is None


def test_websocket_api_and_implicit_rest_api_stage() -> None:
    result = decode("""
        Resources:
          Socket:
            Type: AWS::Serverless::WebSocketApi
            Properties:
              StageName: live
          Function:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Get: {Type: Api, Properties: {Path: /, Method: get}}
        """)
    socket, implicit = configured(result)
    assert socket.api_kind is ApiKind.WEBSOCKET and socket.name.value == "live"
    assert (implicit.address, implicit.name.value) == ("Resources.ServerlessRestApi", "Prod")


def test_api_without_properties_is_a_stage_with_absent_values() -> None:
    (stage,) = configured(decode("""
        Transform: [AWS::Serverless-2016-10-31]
        Resources:
          Api:
            Type: AWS::Serverless::Api
        """))
    assert stage.name.is_absent and stage.cache_cluster_enabled.is_absent


IMPLICIT = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    CacheClusterEnabled: true
    CacheClusterSize: "6.2"
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties:
            Path: /hello
            Method: get
        Post:
          Type: Api
          Properties:
            Path: /hello
            Method: post
        Http:
          Type: HttpApi
        Explicit:
          Type: HttpApi
          Properties:
            ApiId: !Ref Mine
  Mine:
    Type: AWS::Serverless::HttpApi
"""


def test_sam_implicit_apis_are_stages() -> None:
    result = decode(IMPLICIT)
    found = sorted((stage.address, stage.name.value, stage.api_kind, stage.position.line) for stage in result.stages)
    assert found == [
        ("Resources.Mine", "$default", ApiKind.HTTP, 27),
        ("Resources.ServerlessHttpApi", "$default", ApiKind.HTTP, 21),
        ("Resources.ServerlessRestApi", "Prod", ApiKind.REST, 11),
        ("Resources.ServerlessRestApiDeployment", "Stage", ApiKind.REST, 11),  # SAM's extra stage
    ]
    rest = next(stage for stage in result.stages if stage.address == "Resources.ServerlessRestApi")
    assert (rest.cache_cluster_size.value, rest.cache_cluster_size.position.line) == ("6.2", 5)


def test_sam_declared_serverless_rest_api_is_not_doubled() -> None:
    text = IMPLICIT + """  ServerlessRestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
"""
    names = sorted(str(stage.name.value) for stage in decode(text).stages)
    assert names == ["$default", "$default", "Stage", "live"]  # `Stage`: SAM's extra stage of the declared API


def test_no_implicit_api_outside_sam() -> None:
    text = IMPLICIT.replace("Transform: AWS::Serverless-2016-10-31\n", "").replace("Globals:", "Unused:")
    text = text.replace("AWS::Serverless::Function", "AWS::Lambda::Function")
    text = text.replace("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api")
    assert decode(text).stages == ()
