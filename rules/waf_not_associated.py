"""A REST stage has no WAF web ACL.

## What it does
Reports a REST API stage that no AWS WAF web ACL association (`aws_wafv2_web_acl_association`,
`aws_wafregional_web_acl_association`, `AWS::WAFv2::WebACLAssociation`,
`AWS::WAFRegional::WebACLAssociation`) in the same Terraform module or CloudFormation template
protects. The association counts however its resource ARN names the stage: a reference to the stage
(`aws_api_gateway_stage.prod.arn`), a literal ARN, `Fn::Sub`, `Fn::Join`, SAM's `${Api.Stage}`, or an
ARN built from the API id and the stage name. An association stagelint cannot link to one stage
(an ARN from a variable) makes the module's unprotected stages unknown, so they are not reported.

Private APIs (endpoint type `PRIVATE`) are not checked: AWS WAF cannot be associated with them.
HTTP and WebSocket stages are not checked: they have no WAF (SL402 reports an attempt).

## Why is this bad?
A public REST API without a web ACL has no protection against common exploits (SQL injection,
cross-site scripting), bad bots or request floods beyond throttling. AWS Security Hub control
APIGateway.4 asks for a WAF web ACL on every API Gateway stage.

## Example
```terraform
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}
```

Use instead:
```terraform
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
```

In CloudFormation:
```yaml
Resources:
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: abc123
      StageName: prod
  WebAcl:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/abc123/stages/${Stage}
      WebACLArn: !GetAtt ApiWebAcl.Arn
```

## References
- Using AWS WAF to protect your APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
- `AWS::WAFv2::WebACLAssociation`: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-wafv2-webaclassociation.html
- Terraform `aws_wafv2_web_acl_association`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl_association
- AWS Security Hub APIGateway.4: https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
- bridgecrewio/checkov#2367, #7410 (associations not recognised).
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import ApiKind, Stage

ID = "SL704"
NAME = "waf-not-associated"
DEFAULT_SEVERITY = "warning"
SECURITY_SEVERITY = 5.3
TAGS = ("security",)
OPTIONS = None


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.api_kind is not ApiKind.REST or not stage.web_acl_arn.is_absent:
        return
    endpoint = stage.endpoint_type
    if endpoint is not None and (endpoint.is_unknown or (
            endpoint.is_known and str(endpoint.value).upper() == "PRIVATE")):
        return
    yield Violation(
        f"REST stage {stage.display_name} has no WAF web ACL association in this "
        f"{'module' if stage.source.format.value.startswith('terraform') else 'file'}",
        stage.web_acl_arn, "web_acl_arn",
    )
