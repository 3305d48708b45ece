"""A REST stage has no client certificate for its backend.

## What it does
Reports a REST API stage without a `client_certificate_id`. An unresolved certificate id counts as set.
HTTP and WebSocket stages are not checked, nor SAM `AWS::Serverless::Api` stages (SAM has no property
for it).

## Why is this bad?
A client certificate lets the backend verify that a request really comes from API Gateway (mutual
TLS to the integration endpoint). Without it, an HTTP backend reachable from the internet cannot tell
API Gateway's calls from anyone else's. AWS Security Hub control APIGateway.2 asks for it. Backends
that authenticate callers another way (private integrations through a VPC link, Lambda, IAM-signed
AWS service calls) can turn this rule off.

## Example
```yaml
stages:
  - name: prod
```

Use instead:
```yaml
stages:
  - name: prod
    client_certificate_id: abc123
```

## References
- Generate and configure an SSL certificate for backend authentication: https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html
- CloudFormation Stage `ClientCertificateId`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html
- AWS Security Hub APIGateway.2: https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import ApiKind, Stage

ID = "SL703"
NAME = "client-certificate-missing"
DEFAULT_SEVERITY = "info"
SECURITY_SEVERITY = 3.1
TAGS = ("security",)
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.api_kind is not ApiKind.REST:
        return
    certificate = stage.client_certificate_id
    if certificate.is_absent or certificate.known_equals(""):
        yield Violation(
            f"REST stage {stage.display_name} has no client certificate for backend authentication "
            f"({certificate.spelled_as or 'client_certificate_id'})",
            certificate, "client_certificate_id",
        )
