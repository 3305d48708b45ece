"""Which environment a stage belongs to: prod, staging, dev or unknown, read from the model only.

Precedence: a per-path override from the configuration, then the stage's tags (`Environment`,
`env`; keys compared case-insensitively), then its name, then the folders of its path (nearest
folder first). Each is split into words (`prod-eu`, `ProdStage`, `envs/prd/` → `prod`) and the
first word found in the mapping decides. An environment tag whose value names no known environment
(`Environment: perf`) makes the stage *unknown* (the owner's label is not second-guessed from its
name; add the word to `mapping`). Anything else is *unknown*, and environment-aware rules
never fire on an unknown environment.

`[tool.stagelint.environments]` may add words (`mapping = { live2 = "prod" }`), change the tag keys
(`tag-keys = [...]`) and pin paths (`paths = { "infra/blue/**" = "prod" }`).
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from stagelint.records import dataclass

if TYPE_CHECKING:
    from stagelint.model import Stage

PROD = "prod"
STAGING = "staging"
DEV = "dev"
UNKNOWN = "unknown"
ENVIRONMENTS = (PROD, STAGING, DEV, UNKNOWN)

# The word lists (issue 14, "Environments").
DEFAULT_WORDS: Mapping[str, str] = {
    **dict.fromkeys(("prod", "production", "live", "prd"), PROD),
    **dict.fromkeys(("staging", "stage", "stg", "qa", "uat", "test"), STAGING),
    **dict.fromkeys(("dev", "development", "sandbox"), DEV),
}
DEFAULT_TAG_KEYS = ("Environment", "env")


def word_pairs(words: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A word mapping as a sorted tuple (hashable, so `Config` stays a value), words lower-cased."""
    return tuple(sorted((key.lower(), value) for key, value in words.items()))


@dataclass(frozen=True)
class EnvironmentSettings:
    """How stages are classified: a hashable value, part of `Config`."""

    words: tuple[tuple[str, str], ...] = word_pairs(DEFAULT_WORDS)  # (word, environment)
    tag_keys: tuple[str, ...] = DEFAULT_TAG_KEYS
    paths: tuple[tuple[str, str], ...] = ()  # (glob, environment), first match wins

    def lookup(self) -> Mapping[str, str]:
        return _mapping(self.words)


@functools.cache
def _mapping(words: tuple[tuple[str, str], ...]) -> Mapping[str, str]:
    return dict(words)


DEFAULT_SETTINGS = EnvironmentSettings()


@dataclass(frozen=True, slots=True)
class Classification:
    """A stage's environment and what told it (`tag Environment=prod`, `stage name`, `path folder envs/prod`)."""

    environment: str
    because: str


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words_of(text: str) -> list[str]:
    """`prod-eu` → prod, eu; `ProdStage` → prod, stage; `APIProd` → api, prod."""
    return [word.lower() for word in _WORD.findall(text)]


def _lookup(text: str, settings: EnvironmentSettings) -> str | None:
    words = settings.lookup()
    whole = words.get(text.lower())
    if whole is not None:
        return whole
    for word in words_of(text):
        found = words.get(word)
        if found is not None:
            return found
    return None


def _path_matches(path: str, pattern: str) -> bool:
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*")


def classify(stage: Stage, settings: EnvironmentSettings = DEFAULT_SETTINGS) -> Classification:
    """The stage's environment: overrides, then tags, then name, then path folders; else unknown."""
    path = stage.source.path.replace("\\", "/")
    for pattern, environment in settings.paths:
        if _path_matches(path, pattern):
            return Classification(environment, f"configured for {pattern}")
    if stage.tags.is_known and isinstance(stage.tags.value, dict):
        wanted = {key.lower() for key in settings.tag_keys}
        for key, value in stage.tags.value.items():
            if str(key).lower() in wanted and isinstance(value, str):
                found = _lookup(value, settings)
                # The owner's own label: one that names no known environment is unknown, not a guess.
                return Classification(found or UNKNOWN, f"tag {key}={value}")
    if stage.name.is_known and isinstance(stage.name.value, str):
        found = _lookup(stage.name.value, settings)
        if found is not None:
            return Classification(found, f"stage name {stage.name.value}")
    folders = [part for part in path.split("/")[:-1] if part not in ("", ".", "..")]
    for folder in reversed(folders):
        found = _lookup(folder, settings)
        if found is not None:
            return Classification(found, f"folder {folder}")
    return Classification(UNKNOWN, "no tag, name or folder names an environment")


def environment_of(stage: Stage) -> str:
    """What rules call: the environment the checker classified (with the run's configuration), or the
    default classification for a stage built without one (plugin and API users)."""
    if stage.environment is not None:
        return stage.environment
    return classify(stage).environment
