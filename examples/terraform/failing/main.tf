locals {
  cache_size_gb = "5" # not a size API Gateway offers
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = aws_api_gateway_deployment.orders.id
  stage_name            = "prod.v2"
  cache_cluster_enabled = true
  cache_cluster_size    = local.cache_size_gb

  canary_settings {
    percent_traffic = 150
  }
}

resource "aws_api_gateway_method_settings" "users" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "/users/GET"

  settings {
    cache_ttl_in_seconds  = 7200
    throttling_rate_limit = -5
  }
}
