"""Write a deterministic tree of N stage files in mixed formats, for the scaling benchmark.

    python benchmarks/generate_tree.py DIR [COUNT]

The mix (per 20 files): 8 native YAML, 5 CloudFormation YAML, 3 CloudFormation JSON, 4 Terraform
(`.tf`, one module directory each, as in real repositories). Files are small and realistic (one to
three stages, method settings, some findings), 100 per directory. The same COUNT always gives the
same bytes, so two runs measure the same work.
"""

from __future__ import annotations

import json
import os
import sys

# Index within each block of 20 → format.
_MIX = ["plain"] * 8 + ["cfn-yaml"] * 5 + ["cfn-json"] * 3 + ["terraform"] * 4


def _plain(number: int) -> str:
    size = ("0.5", "6.1", "6.2")[number % 3]
    return f"""# generated stage file {number}
stages:
  - name: prod_{number}
    cache_cluster_enabled: true
    cache_cluster_size: "{size}"
    xray_tracing_enabled: true
    method_settings:
      - resource_path: /users/{{id}}
        http_method: GET
        caching_enabled: true
        cache_ttl_in_seconds: {(number * 37) % 4000}
        throttling_rate_limit: {100 - number % 150}
  - name: staging-{number}
    cache_cluster_enabled: false
    canary_settings: {{percent_traffic: {number % 120}}}
"""


def _cfn_resources(number: int) -> dict[str, object]:
    return {
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": f"api-{number}"}},
        "ProdStage": {
            "Type": "AWS::ApiGateway::Stage",
            "Properties": {
                "StageName": f"prod{number}",
                "RestApiId": {"Ref": "Api"},
                "CacheClusterEnabled": True,
                "CacheClusterSize": ("0.5", "1.6", "2.0")[number % 3],
                "TracingEnabled": True,
                "MethodSettings": [{
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "CachingEnabled": True,
                    "CacheTtlInSeconds": (number * 53) % 4000,
                    "ThrottlingBurstLimit": 50 - number % 80,
                }],
            },
        },
    }


def _cfn_yaml(number: int) -> str:
    resources = _cfn_resources(number)
    stage = resources["ProdStage"]["Properties"]  # type: ignore[index]
    setting = stage["MethodSettings"][0]
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: generated template {number}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: !Sub "api-{number}-${{AWS::Region}}"
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: {stage["StageName"]}
      RestApiId: !Ref Api
      CacheClusterEnabled: true
      CacheClusterSize: "{stage["CacheClusterSize"]}"
      TracingEnabled: true
      MethodSettings:
        - ResourcePath: "/*"
          HttpMethod: "*"
          CachingEnabled: true
          CacheTtlInSeconds: {setting["CacheTtlInSeconds"]}
          ThrottlingBurstLimit: {setting["ThrottlingBurstLimit"]}
"""


def _cfn_json(number: int) -> str:
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": _cfn_resources(number)}
    return json.dumps(template, indent=2) + "\n"


def _terraform(number: int) -> str:
    return f"""resource "aws_api_gateway_rest_api" "api" {{
  name = "api-{number}"
}}

resource "aws_api_gateway_stage" "prod" {{
  stage_name            = "prod{number}"
  rest_api_id           = aws_api_gateway_rest_api.api.id
  deployment_id         = "abc123"
  cache_cluster_enabled = true
  cache_cluster_size    = "{("0.5", "6.1", "7")[number % 3]}"
  xray_tracing_enabled  = true
}}

resource "aws_api_gateway_method_settings" "all" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {{
    caching_enabled      = true
    cache_ttl_in_seconds = {(number * 71) % 4000}
    throttling_rate_limit = -1
  }}
}}
"""


def generate(root: str, count: int) -> list[str]:
    """Write `count` files under `root` (created); returns their paths. Existing files are overwritten."""
    paths = []
    for number in range(count):
        kind = _MIX[number % len(_MIX)]
        folder = os.path.join(root, f"d{number // 100:03d}")
        if kind == "terraform":
            folder = os.path.join(folder, f"module{number:05d}")
            name, text = "main.tf", _terraform(number)
        elif kind == "plain":
            name, text = f"stages{number:05d}.yaml", _plain(number)
        elif kind == "cfn-yaml":
            name, text = f"template{number:05d}.yaml", _cfn_yaml(number)
        else:
            name, text = f"template{number:05d}.json", _cfn_json(number)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        paths.append(path)
    return paths


def big_terraform(stages: int) -> str:
    """One module with `stages` APIs, each with a stage and a method-settings resource (named
    `api{n}`, `prod{n}`, `all{n}`): the Terraform row of the issue's "5,000 stages"."""
    blocks = []
    for number in range(stages):
        text = _terraform(number)
        for name in ("api", "prod", "all"):
            text = text.replace(f'"{name}" {{', f'"{name}{number}" {{').replace(f".{name}.", f".{name}{number}.")
        blocks.append(text)
    return "\n".join(blocks)


def big_cloudformation(megabytes: float) -> str:
    """One CloudFormation YAML template of about `megabytes` MB: stages with method settings."""
    parts = ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n']
    size, number = len(parts[0]), 0
    while size < megabytes * 1_000_000:
        body = _cfn_yaml(number).split("Resources:\n", 1)[1]
        body = body.replace("  Api:", f"  Api{number}:").replace("!Ref Api", f"!Ref Api{number}")
        body = body.replace("  ProdStage:", f"  ProdStage{number}:")
        parts.append(body)
        size += len(body)
        number += 1
    return "".join(parts)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    written = generate(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 10_000)
    print(f"wrote {len(written)} files under {sys.argv[1]}")
