"""A stage variable holds what looks like a secret.

## What it does
Reports a stage variable — or a canary's stage variable override — whose value looks like a
credential:

- an AWS access key id (`AKIA…`, `ASIA…`), a private key block (`-----BEGIN … PRIVATE KEY-----`),
  a JSON Web Token (`eyJ….eyJ….…`), a well-known vendor token (GitHub, Slack, Stripe, Google API key,
  GitLab);
- a URL with credentials in it (`https://user:password@host/…`);
- a long, high-entropy token (mixed-case letters and digits, not made of words);
- a literal value for a variable named like a secret (`password`, `secret`, `token`, `api_key`,
  `client_secret`, `credentials`, …), unless the value is plainly not one: a reference
  (`${stageVariables.x}`, `{{resolve:…}}`), an ARN, a URL or path, a number, or a flag such as
  `true`/`enabled`. Names such as `secret_arn`, `token_url` or `api_key_id` are not secret-named.

Unresolved values (a Terraform variable with no default, `!Ref` to a parameter without a default)
never fire. The message names the variable, never its value.

## Why is this bad?
Stage variables are not secret storage: they are readable by anyone with `apigateway:GET` on the
stage, shown in the console, returned by `get-stage`, written to CloudFormation and Terraform state,
and kept in version control with the template. Keep secrets in AWS Secrets Manager or SSM Parameter
Store and let the backend read them.

## Example
```yaml
stages:
  - name: prod
    variables:
      db_password: hunter2-prod
```

Use instead:
```yaml
stages:
  - name: prod
    variables:
      db_password_parameter: /prod/db/password
```

## References
- Stage variables ("not intended to be used for sensitive data, such as credentials"): https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html
- AWS Secrets Manager: https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html
- AWS access key id format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator

from stagelint.findings import Violation
from stagelint.model import Stage

ID = "SL701"
NAME = "stage-variable-secret"
DEFAULT_SEVERITY = "error"
SECURITY_SEVERITY = 8.2
TAGS = ("security",)
OPTIONS = None

# Pattern sources, compiled on first use by `re`'s own cache (`re.search(source, …)`): a run whose
# stages have no variables never compiles them (~2 ms at import otherwise).
_PATTERNS = (
    (r"(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Z0-9])",
     "an AWS access key id"),
    (r"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----", "a private key block"),
    (r"(?<![\w-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{8,}", "a JSON Web Token"),
    (r"^(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})$", "a GitHub token"),
    (r"^xox[abposr]-[A-Za-z0-9-]{10,}$", "a Slack token"),
    (r"^[rs]k_(live|test)_[A-Za-z0-9]{16,}$", "a Stripe key"),
    (r"^AIza[0-9A-Za-z_-]{35}$", "a Google API key"),
    (r"^glpat-[A-Za-z0-9_-]{20,}$", "a GitLab token"),
)
_URL_CREDENTIALS = r"^[A-Za-z][A-Za-z0-9+.-]*://(?P<user>[^/\s:@]*):(?P<password>[^/\s@]+)@"
_TOKEN = r"^[A-Za-z0-9+/=_-]{20,}$"
_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_WORDS = r"[A-Z]?[a-z]{3,}"
_NUMBER = r"^[+-]?\d+(\.\d+)*$"

SECRET_WORDS = frozenset({
    "password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "credential",
    "credentials", "apikey", "privatekey", "secretkey", "accesskey", "signingkey", "clientsecret",
})
KEY_QUALIFIERS = frozenset({"api", "private", "secret", "access", "signing", "encryption", "master", "auth"})
NOT_A_SECRET_SUFFIXES = frozenset({
    "arn", "name", "id", "url", "uri", "endpoint", "path", "ttl", "header", "length", "enabled", "version",
    "region", "type", "expiry", "expiration", "timeout", "lifetime", "duration", "parameter", "param", "ssm",
    "location", "file", "policy", "rotation", "field", "prefix", "host", "user", "username", "issuer",
    "audience", "scope", "scopes", "alias", "kind", "format", "count", "seconds", "minutes", "days",
})
FLAGS = frozenset({"true", "false", "yes", "no", "on", "off", "enabled", "disabled", "none", "null", "nil",
                   "required", "optional", "default"})


def name_words(name: str) -> list[str]:
    """`dbPassword` / `DB_PASSWORD` / `db-password` → `["db", "password"]`."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [word.lower() for word in re.split(r"[^A-Za-z0-9]+|\s", spaced) if word]


def is_secret_name(name: str) -> bool:
    words = name_words(name)
    if not words or words[-1] in NOT_A_SECRET_SUFFIXES:
        return False
    if any(word in SECRET_WORDS for word in words) or "".join(words) in SECRET_WORDS:
        return True
    return any(word == "key" and previous in KEY_QUALIFIERS for previous, word in itertools.pairwise(words))


def is_reference(value: str) -> bool:
    return "${" in value or "{{resolve:" in value


def entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(count / len(text) * math.log2(count / len(text)) for count in counts.values())


def is_high_entropy_token(value: str) -> bool:
    """A random-looking token: 20+ characters of a base64 alphabet, upper- and lower-case letters and
    digits, close to the entropy of a random string of its length, and not made of words."""
    if not re.match(_TOKEN, value) or re.match(_UUID, value):
        return False
    if not (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value)):
        return False
    if entropy(value) < min(0.82 * math.log2(len(value)), 4.8):
        return False
    wordy = sum(len(word) for word in re.findall(_WORDS, value) if len(word) >= 4)
    return wordy <= 0.35 * len(value)


def secret_kind(name: str, value: str) -> str | None:
    """What a variable looks like (`"an AWS access key id"`), or None when it does not look secret."""
    if not value or is_reference(value):
        return None
    for pattern, kind in _PATTERNS:
        if re.search(pattern, value):
            return kind
    credentials = re.match(_URL_CREDENTIALS, value)
    if credentials is not None and not credentials.group("password").startswith("$"):
        return "a URL with credentials"
    if value.startswith("arn:"):
        return None
    if is_high_entropy_token(value):
        return "a high-entropy token"
    if not is_secret_name(name):
        return None
    plain = value.strip()
    if (plain.lower() in FLAGS or re.match(_NUMBER, plain) or plain.startswith("/") or "://" in plain
            or re.match(_UUID, plain)):
        return None
    return "a literal value for a secret-named variable"


def _message(kind: str, name: str, where: str) -> str:
    return (f"{where} `{name}` holds what looks like a secret ({kind}): keep it in Secrets Manager or "
            "SSM Parameter Store, not in a stage variable")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    if stage.variables.is_known:
        for variable in stage.variables.value or ():
            if not (variable.name.is_known and variable.value.is_known):
                continue
            name, value = str(variable.name.value), variable.value.value
            kind = secret_kind(name, str(value)) if isinstance(value, str) else None
            if kind is not None:
                yield Violation(_message(kind, name, "stage variable"), variable.value, f"variables.{name}")
    canary = stage.canary
    if canary is not None and canary.stage_variable_overrides.is_known:
        for name, value in (canary.stage_variable_overrides.value or {}).items():
            kind = secret_kind(name, value) if isinstance(value, str) else None
            if kind is not None:
                yield Violation(_message(kind, name, "canary stage variable override"),
                                canary.stage_variable_overrides, f"canary.stage_variable_overrides.{name}")
