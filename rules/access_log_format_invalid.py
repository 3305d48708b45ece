"""Access log format or destination is one API Gateway rejects.

## What it does
Checks a stage's access log settings:

- the format must include `$context.requestId` (or `$context.extendedRequestId`);
- the format must be a single line (a trailing newline, as a YAML `|` block leaves, is fine);
- on an HTTP API the format must not be over 3 KB;
- the destination must be a CloudWatch Logs log group ARN
  (`arn:aws:logs:{region}:{account}:log-group:{name}`) or, on REST APIs only, a Kinesis Data Firehose
  stream whose name begins with `amazon-apigateway-`. HTTP and WebSocket APIs log to CloudWatch Logs
  only.

A log group ARN with a trailing `:*` (what CloudFormation's `!GetAtt LogGroup.Arn` returns) is accepted;
an ARN that is not a log group's gets a hint when it ends in `:*`. Values that cannot be resolved, and
Terraform references to a log group (`aws_cloudwatch_log_group.x.arn`), are not judged further.

## Why is this bad?
API Gateway rejects each of these at deploy time ("Access Log format must contain at least
$context.requestId", "Invalid ARN"), or, for a format spread over several lines, writes log lines
that no query can parse. Without the request id an access log line cannot be matched to the
execution log or to the caller's error report.

## Example
```yaml
stages:
  - name: prod
    access_log_settings:
      destination_arn: "arn:aws:s3:::orders-access-logs"
      format: "$context.identity.sourceIp $context.status"
```

Use instead:
```yaml
stages:
  - name: prod
    access_log_settings:
      destination_arn: "arn:aws:logs:eu-west-1:123456789012:log-group:orders-access"
      format: "$context.requestId $context.identity.sourceIp $context.status"
```

## References
- aws-facts.md §7.9 (stagelint's design notes, with sources).
- Set up CloudWatch logging for REST APIs ("must include at least `$context.requestId` or
  `$context.extendedRequestId`"): https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- CloudFormation `AccessLogSetting` (Firehose stream names begin with `amazon-apigateway-`): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-accesslogsetting.html
- HTTP API quotas (access log template size 3 KB): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
- Terraform `aws_api_gateway_stage` `access_log_settings`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from stagelint.findings import Violation
from stagelint.model import AccessLogSettings, ApiKind, Stage
from stagelint.rule_api import first_violation, shown_value
from stagelint.rules.common import api_label, is_terraform
from stagelint.tracked import Tracked

ID = "SL502"
NAME = "access-log-format-invalid"
DEFAULT_SEVERITY = "warning"
TAGS = ("observability", "correctness")
OPTIONS = None

REQUEST_ID = r"\$context\.(requestId|extendedRequestId)\b"
HTTP_FORMAT_LIMIT = 3 * 1024  # bytes: "Access log template size: 3 KB" (HTTP API quotas)
FIREHOSE_PREFIX = "amazon-apigateway-"
_ARN = (r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[^:]*):(?P<account>[^:]*):"
                  r"(?P<resource>.*)$")
_LOG_GROUP = r"^log-group:(?P<name>[\w./#-]+)(:\*)?$"
_FIREHOSE = r"^deliverystream/(?P<name>.+)$"
# A Terraform reference kept as the value of an identity attribute (`aws_cloudwatch_log_group.x.arn`).
_TF_REFERENCE = r"^(?P<type>[a-z][a-z0-9_]*)\.[\w-]+(\.[\w-]+)*$"


def format_problem(stage: Stage, text: object) -> str | None:
    if not isinstance(text, str) or text == "":
        return None  # an empty format is SL501's
    if re.search(REQUEST_ID, text) is None:
        return "lacks `$context.requestId` (or `$context.extendedRequestId`), which API Gateway requires"
    if "\n" in text.rstrip("\r\n"):
        return "spans more than one line: write the format on a single line"
    size = len(text.encode("utf-8"))
    if stage.api_kind is ApiKind.HTTP and size > HTTP_FORMAT_LIMIT:
        return f"is {size} bytes: an HTTP API's access log format may be at most 3 KB ({HTTP_FORMAT_LIMIT} bytes)"
    return None


def destination_problem(stage: Stage, text: object) -> str | None:
    if not isinstance(text, str) or text == "":
        return None  # an empty destination is SL501's
    reference = re.match(_TF_REFERENCE, text) if is_terraform(stage) else None
    if reference is not None:
        if reference.group("type") == "aws_kinesis_firehose_delivery_stream":
            return _firehose_problem(stage, None)
        return None  # a log group, or something stagelint cannot see into
    arn = re.match(_ARN, text)
    if arn is None:
        return "is not an ARN: give the CloudWatch Logs log group's ARN"
    resource = arn.group("resource")
    if arn.group("service") == "logs":
        if re.match(_LOG_GROUP, resource):
            return None
        hint = ""
        if text.endswith(":*"):
            hint = (" — a trailing `:*` belongs to an IAM policy resource, not to a destination: give "
                    "`arn:aws:logs:{region}:{account}:log-group:{name}`")
        return f"is not a log group ARN{hint}"
    if arn.group("service") == "firehose":
        firehose = re.match(_FIREHOSE, resource)
        if firehose is not None:
            return _firehose_problem(stage, firehose.group("name"))
    return "is neither a CloudWatch Logs log group ARN nor a Kinesis Data Firehose stream ARN"


def _firehose_problem(stage: Stage, name: str | None) -> str | None:
    if stage.api_kind in (ApiKind.HTTP, ApiKind.WEBSOCKET):
        return (f"is a Kinesis Data Firehose stream, but {api_label(stage)} logs to CloudWatch Logs only: "
                "give a log group ARN")
    if name is not None and not name.startswith(FIREHOSE_PREFIX):
        return f"names Firehose stream `{name}`: API Gateway only writes to streams named `{FIREHOSE_PREFIX}…`"
    return None


def _check(stage: Stage, access_log: AccessLogSettings) -> Iterator[Violation]:
    checks = (
        (access_log.format, format_problem, "access_log.format"),
        (access_log.destination_arn, destination_problem, "access_log.destination_arn"),
    )
    for tracked, problem, attribute in checks:
        reported = first_violation(
            tracked, lambda value, problem=problem: problem(stage, value) is not None)  # type: ignore[misc]
        if reported is None:
            continue
        reason = problem(stage, reported.value) if reported.is_known else "is invalid in every branch"
        yield Violation(f"{_quoted(reported)} {reason}", reported, attribute)


def _quoted(tracked: Tracked[Any]) -> str:
    """The value as written, shortened: a format can be kilobytes long."""
    text = shown_value(tracked).replace("\r", "\\r").replace("\n", "\\n")  # a message is one line
    return text if len(text) <= 120 else text[:100] + "…" + text[-10:]


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.access_log is not None:
        yield from _check(stage, stage.access_log)
