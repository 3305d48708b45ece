"""SL701's detector against realistic secrets (must fire) and look-alikes (must not)."""

from __future__ import annotations

import pytest

from stagelint.rules.stage_variable_secret import secret_kind

SECRETS = [
    ("aws_key", "AKIAIOSFODNN7EXAMPLE"),
    ("session", "ASIAY34FZKBOKMUTVV7A"),
    ("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("backend", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("tls_key", "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA-----END RSA PRIVATE KEY-----"),
    ("signing", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"),
    ("auth", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
             "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
    ("db", "postgres://admin:S3cr3tPa55@db.internal:5432/app"),
    ("mongo", "mongodb+srv://app:hunter2@cluster0.example.mongodb.net/prod"),
    ("github", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
    ("slack", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    ("payments", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("maps", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
    ("partner", "Zx8Qm2LpT7vR4nK9wB3cY6hJ1dF5sG0a"),
    ("db_password", "hunter2"),
    ("DB_PASSWORD", "correct-horse-battery-staple"),
    ("dbPassword", "changeme"),
    ("api_key", "1234abcd"),
    ("apiKey", "prod-key-2024"),
    ("client_secret", "abc"),
    ("AuthToken", "letmein"),
    ("stripe_secret_key", "whsec_local"),
    ("credentials", "admin:admin"),
]

LOOK_ALIKES = [
    ("lambda_arn", "arn:aws:lambda:us-east-1:123456789012:function:prod-handler"),
    ("secret_arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
    ("secret", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
    ("tenant", "3f2b9c1e-3a4d-4f7e-8b9a-0c1d2e3f4a5b"),
    ("token", "3f2b9c1e-3a4d-4f7e-8b9a-0c1d2e3f4a5b"),
    ("backend_url", "https://api.example.com/v1/users?limit=10"),
    ("token_url", "https://auth.example.com/oauth2/token"),
    ("password_reset_url", "https://example.com/reset"),
    ("upstream", "https://${stageVariables.host}/v1"),
    ("db_password", "${stageVariables.db_password}"),
    ("password", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
    ("version", "v1.2.3-rc1"),
    ("release", "2024.06.01"),
    ("commit", "5f2b9c1e3a4d6f7e8b9a0c1d2e3f4a5b6c7d8e9f"),
    ("feature_flag", "enabled"),
    ("use_cache", "true"),
    ("secret_rotation", "true"),
    ("token_ttl", "3600"),
    ("api_key_id", "a1b2c3d4e5"),
    ("api_key_required", "true"),
    ("secret_name", "prod/db/password"),
    ("password_parameter", "/prod/db/password"),
    ("token", "/prod/app/token"),
    ("function", "MyService-prod-HandlerFunction-1A2B3C4D5E6F"),
    ("function_name", "ProdApiStack-ApiHandler-9XKQZ2L1ABCD"),
    ("user_pool", "us-east-1_AbCdEfGhI"),
    ("client", "UserPoolClientIdAbc123Xyz"),
    ("alias", "live"),
    ("region", "eu-west-1"),
    ("bucket", "my-company-prod-assets-2024"),
    ("stage", "prod"),
    ("token_header", "Authorization"),
    ("keyspace", "orders"),
    ("cache_key", "userId"),
    ("passthrough", "WHEN_NO_MATCH"),
    ("pass_through", "WHEN_NO_MATCH"),
]


@pytest.mark.parametrize(("name", "value"), SECRETS)
def test_realistic_secrets_fire(name: str, value: str) -> None:
    assert secret_kind(name, value) is not None


@pytest.mark.parametrize(("name", "value"), LOOK_ALIKES)
def test_look_alikes_do_not_fire(name: str, value: str) -> None:
    assert secret_kind(name, value) is None
