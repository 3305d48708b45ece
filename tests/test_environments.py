"""Environment classification: tags, then stage name, then path folders; configurable words and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.config import ConfigError
from stagelint.config_files import apply_settings
from stagelint.environments import EnvironmentSettings, classify, word_pairs, words_of


def _stages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: str, body: str,
            config: Config | None = None) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    target = Path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    report = lint([relative], config or Config())
    return {stage.name or stage.address: stage.environment for stage in report.stages}


def test_words_split_on_case_and_punctuation() -> None:
    assert words_of("ProdStage") == ["prod", "stage"]
    assert words_of("APIProd-eu_west1") == ["api", "prod", "eu", "west", "1"]


@pytest.mark.parametrize(("name", "expected"), [
    ("prod", "prod"), ("production", "prod"), ("live", "prod"), ("prd", "prod"), ("prod-eu", "prod"),
    ("staging", "staging"), ("stage", "staging"), ("stg", "staging"), ("qa", "staging"), ("uat", "staging"),
    ("test", "staging"), ("dev", "dev"), ("development", "dev"), ("sandbox", "dev"), ("DevStage", "dev"),
    ("v1", "unknown"), ("main", "unknown"), ("$default", "unknown"), ("product", "unknown"),
])
def test_stage_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, expected: str) -> None:
    assert _stages(tmp_path, monkeypatch, "stages.yaml", f'stages:\n  - name: "{name}"\n') == {name: expected}


def test_tags_beat_the_name_and_the_name_beats_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = ("stages:\n  - name: dev\n    tags:\n      Environment: Production\n"
            "  - name: qa\n    tags:\n      env: nonsense\n  - name: v1\n    tags:\n      Owner: prod-team\n")
    assert _stages(tmp_path, monkeypatch, "envs/dev/stages.yaml", body) == {
        "dev": "prod",  # the tag wins
        "qa": "unknown",  # the owner's tag names no known environment: not guessed from the name
        "v1": "dev",  # other tags do not count; the nearest folder names it
    }


def test_nearest_folder_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _stages(tmp_path, monkeypatch, "prod/sandbox/api.yaml", "stages:\n  - name: v1\n") == {"v1": "dev"}
    assert _stages(tmp_path, monkeypatch, "team/api.yaml", "stages:\n  - name: v1\n") == {"v1": "unknown"}


def test_terraform_and_cloudformation_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terraform = ('resource "aws_api_gateway_stage" "a" {\n  stage_name = "v1"\n  rest_api_id = "x"\n'
                 '  deployment_id = "d"\n  tags = { Environment = "prd" }\n}\n')
    assert _stages(tmp_path, monkeypatch, "tf/main.tf", terraform) == {"v1": "prod"}
    template = ("Resources:\n  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      StageName: v2\n"
                "      RestApiId: x\n      Tags:\n        - Key: env\n          Value: sandbox\n")
    assert _stages(tmp_path, monkeypatch, "cfn/template.yaml", template) == {"v2": "dev"}


def test_configured_words_tag_keys_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = apply_settings({"environments": {"mapping": {"perf": "staging", "test": "dev"},
                                              "tag-keys": ["Stage"],
                                              "paths": {"blue/**": "prod", "blue": "prod"}}},
                            Config(), root=str(tmp_path), source="pyproject.toml", cwd=str(tmp_path))
    assert hash(config) == hash(apply_settings({"environments": {"paths": {"blue/**": "prod", "blue": "prod"},
                                                                  "tag-keys": ["Stage"],
                                                                  "mapping": {"test": "dev", "perf": "staging"}}},
                                               Config(), root=str(tmp_path), source="x", cwd=str(tmp_path)))
    body = "stages:\n  - name: perf\n  - name: test\n  - name: v1\n    tags:\n      Stage: live\n"
    assert _stages(tmp_path, monkeypatch, "api.yaml", body, config) == {"perf": "staging", "test": "dev", "v1": "prod"}
    assert _stages(tmp_path, monkeypatch, "blue/api.yaml", "stages:\n  - name: dev\n", config) == {"dev": "prod"}


@pytest.mark.parametrize(("settings", "message"), [
    ({"environments": {"mapping": {"perf": "production"}}}, "unknown environment 'production'"),
    ({"environments": {"words": {}}}, "unknown key `environments.words`"),
    ({"environments": {"paths": {"x/*": "live"}}}, "unknown environment 'live'"),
])
def test_configuration_errors(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        apply_settings(settings, Config(), root=".", source="pyproject.toml")


def test_classify_without_configuration_uses_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stagelint.checker import decode_document_file

    monkeypatch.chdir(tmp_path)
    Path("api.yaml").write_text("stages:\n  - name: live\n", encoding="utf-8")
    stage = decode_document_file("api.yaml", Config()).stages[0]
    assert stage.environment is None  # not classified by the decoder
    assert classify(stage).environment == "prod"
    assert classify(stage).because == "stage name live"
    assert classify(stage, EnvironmentSettings(words=word_pairs({"live": "dev"}))).environment == "dev"
