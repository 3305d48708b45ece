"""SAM deploys an extra stage named `Stage`.

## What it does
Reports a SAM REST API (`AWS::Serverless::Api`, or the implicit `ServerlessRestApi` that a
function's `Api` event creates) without `OpenApiVersion`, on the resource or in `Globals.Api`. SAM
then deploys the API twice: to the stage you configure (`StageName`) and to an extra stage named
`Stage`, which its deployment creates with none of the API's stage settings. Any `OpenApiVersion`
removes it. An `OpenApiVersion` stagelint cannot resolve is unknown: nothing is reported, and
`--verbose` says so.

The extra stage is reported by this rule **only**. It has no access logging, no execution logging,
no X-Ray, no throttling, no client certificate and no web ACL, so every rule about what a stage lacks
(SL501, SL505, SL601, SL703, SL704, the production rules) would fire on it too, repeating, once per
rule, what this one finding says and fixes with one line. stagelint models the stage (the inventory
lists it, and a WAF association naming `…/stages/Stage` attaches to it) but runs no other rule on it.
When you keep it on purpose, silence this rule with the API's `Metadata: {stagelint: {ignore:
[SL405]}}`, and the other rules still say nothing about a stage you do not configure.

## Why is this bad?
The `Stage` stage serves the same API at `https://{api}.execute-api.{region}.amazonaws.com/Stage`,
unlogged and unthrottled beyond the account's limits, and outside any web ACL associated with the
configured stage: a second, unmonitored door to every backend. It also counts against the 10 stages
an API may have and confuses anyone reading the console. The SAM maintainers keep it for backward
compatibility and remove it only when `OpenApiVersion` is set.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
```

Use instead:
```yaml
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    OpenApiVersion: 3.0.1  # any version removes the extra stage, for the implicit API too
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
```

## References
- SAM translator `api_generator.py`, `_construct_deployment` (`StageName = "Stage"` unless
  `remove_extra_stage = open_api_version`):
  https://github.com/aws/serverless-application-model/blob/develop/samtranslator/model/api/api_generator.py
- SAM `AWS::Serverless::Api` `OpenApiVersion` ("setting this property to any valid value will also
  remove the stage `Stage`"):
  https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
- The issue SAM users keep filing ("SAM creates stage named 'Stage' by default"): https://github.com/aws/serverless-application-model/issues/191
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage

ID = "SL405"
NAME = "sam-extra-stage"
DEFAULT_SEVERITY = "info"
TAGS = ("security", "observability")
# An unlogged, unprotected copy of the API: a low, not a high, security severity (it is an info).
SECURITY_SEVERITY = 3.1
OPTIONS = None
# Only SAM makes the extra stage.
FORMATS = ("sam",)
# The one rule that judges SAM's extra stage (the checker runs no other on it; see the docs above).
JUDGES_SAM_EXTRA_STAGE = True


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if not stage.sam_extra_stage:
        return
    api = stage.api.value if stage.api.is_known else "this API"
    yield Violation(
        f"SAM also deploys {api} to an extra stage named `Stage`, with none of its stage settings "
        "(no logging, no throttling, no web ACL): set `OpenApiVersion: 3.0.1` on the API or in "
        "`Globals.Api` to remove it",
        stage.name, "sam_extra_stage",
    )
