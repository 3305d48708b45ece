variable "cache_size_gb" {
  type    = string
  default = "0.5"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = aws_api_gateway_deployment.orders.id
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = var.cache_size_gb
  xray_tracing_enabled  = true
  client_certificate_id = aws_api_gateway_client_certificate.orders.id

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level          = "ERROR"
    caching_enabled        = true
    cache_data_encrypted   = true
    cache_ttl_in_seconds   = 300
    throttling_rate_limit  = 100
    throttling_burst_limit = -1 # Terraform's "not set"
  }
}

resource "aws_api_gateway_client_certificate" "orders" {
  description = "lets the orders backend verify calls from API Gateway"
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = aws_wafv2_web_acl.orders.arn
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "orders-access"
  retention_in_days = 30
}

# The account-wide CloudWatch Logs role that API Gateway logs through.
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_logs.arn
}
