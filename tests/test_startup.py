"""Import hygiene of the pre-commit path: which modules a one-file run loads (never how long it takes).

`python -X importtime` lists every module imported; a native YAML file needs the engine, the YAML
tree, the native decoder, the rules and the text output, and nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOT_FOR_ONE_YAML_FILE = (
    "multiprocessing", "concurrent.futures", "subprocess",  # pools and git: only for directory walks
    "importlib.metadata",  # entry points come from the cache once it is warm
    "importlib.resources", "hashlib", "tempfile", "zipfile",
    "pickle",  # results are packed only for a pool (stagelint/batches.py)
    "tree_sitter", "tree_sitter_hcl", "hcl2", "lark",  # Terraform parsers
    "stagelint.decoders.terraform", "stagelint.decoders.terraform.plan",
    "stagelint.decoders.json_tree",
    "stagelint.formatters.json_format", "stagelint.formatters.sarif", "stagelint.formatters.junit",
    "stagelint.formatters.github", "json.tool", "jsonschema", "tomllib",
    "dataclasses",  # record classes take their methods from stagelint/_records/ (stagelint/records.py)
    "stagelint.baseline",  # only with --baseline / --write-baseline
    # `check` imports its own command module only (stagelint.cli.LazyGroup)
    "stagelint.cli.catalogue", "stagelint.cli.inventory", "stagelint.cli.report", "stagelint.inventory",
    # only the chosen formatter (text)
    "stagelint.formatters.full", "stagelint.formatters.gitlab", "stagelint.formatters.html",
    # generated record methods of the classes a run defines (stagelint/_records/ is grouped by package)
    "stagelint._records.terraform1", "stagelint._records.terraform2", "stagelint._records.html1",
    "textwrap",  # the built-in rules' docstrings are parsed only when a formatter shows them
    # a plain `check` command line is read without click (stagelint/cli/check_arguments.py)
    "click", "stagelint.cli.group", "stagelint.cli.check", "stagelint.cli.help",
)
# A one-module Terraform run needs tree-sitter and the Terraform decoders, none of the YAML stack.
NOT_FOR_ONE_TF_MODULE = (
    *(name for name in NOT_FOR_ONE_YAML_FILE
      if (not name.startswith(("tree_sitter", "stagelint.decoders.terraform", "stagelint._records.terraform",
                               "textwrap"))  # textwrap: heredocs (decoders/terraform/evaluate.py)
           or name == "stagelint.decoders.terraform.plan")),
    "ruamel.yaml", "stagelint.decoders.yaml_tree", "stagelint.decoders.cloudformation", "stagelint.decoders.plain",
    "stagelint._records.cloudformation1",
)


# `-X importtime` does not see `importlib.import_module` (the formatters, the generated record parts),
# so the run itself lists `sys.modules` when it exits.
_LIST_MODULES = ("import atexit, sys\n"
                 "atexit.register(lambda: print('\\n'.join('imported: ' + name for name in sys.modules),\n"
                 "                              file=sys.stderr))\n"
                 "from stagelint.cli import main\n"
                 "sys.argv[0] = 'stagelint'\n"
                 "main()\n")


def _imported(tmp_path: Path, *arguments: str) -> set[str]:
    environment = dict(os.environ, STAGELINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONUTF8="1")
    command = [sys.executable, "-c", _LIST_MODULES, *arguments]
    modules: set[str] = set()
    for _ in range(2):  # the first run fills the rule cache; the second is what a hook pays
        completed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=environment,
                                   timeout=120, check=False)
        assert "Traceback" not in completed.stderr, completed.stderr
        modules = {line.removeprefix("imported: ") for line in completed.stderr.splitlines()
                   if line.startswith("imported: ")}
    assert "stagelint.engine" in modules or arguments[0] != "check"
    return modules

# A stage with nothing to report: a clean pre-commit run never fingerprints a finding.
CLEAN_STAGE = """stages:
  - name: prod
    cache_cluster_enabled: false
    client_certificate_id: c1
    web_acl_arn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1
    xray_tracing_enabled: true
    access_log_settings:
      destination_arn: "arn:aws:logs:eu-west-1:123456789012:log-group:prod-access"
      format: "$context.requestId $context.status"
    method_settings:
      - {resource_path: /*, http_method: "*", logging_level: ERROR, throttling_rate_limit: 100}
"""


@pytest.fixture
def one_file(tmp_path: Path) -> Path:
    (tmp_path / "stages.yaml").write_text(CLEAN_STAGE)
    return tmp_path


def test_one_native_yaml_file_loads_only_what_it_uses(one_file: Path) -> None:
    modules = _imported(one_file, "check", "stages.yaml")
    assert "stagelint.decoders.yaml_tree" in modules and "stagelint.decoders.plain" in modules
    loaded = sorted(name for name in NOT_FOR_ONE_YAML_FILE if name in modules)
    assert loaded == []


ONE_CFN_STAGE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: abc
      DeploymentId: d1
      StageName: prod
"""


def test_one_cloudformation_yaml_file_loads_only_what_it_uses(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(ONE_CFN_STAGE)
    modules = _imported(tmp_path, "check", "template.yaml")
    assert {"ruamel.yaml", "stagelint.decoders.cloudformation", "stagelint._records.cloudformation1",
            "stagelint.cli.check_run", "stagelint.formatters.text"} <= modules
    assert sorted(name for name in NOT_FOR_ONE_YAML_FILE if name in modules) == []


def test_one_terraform_module_loads_only_what_it_uses(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_stage" "prod" {\n  stage_name = "prod"\n'
                                      '  rest_api_id = "abc"\n  deployment_id = "d"\n}\n')
    modules = _imported(tmp_path, "check", "main.tf")
    assert "tree_sitter" in modules and "stagelint.decoders.terraform.stages" in modules
    assert "stagelint._records.terraform1" in modules
    assert sorted(name for name in NOT_FOR_ONE_TF_MODULE if name in modules) == []


def test_a_rule_cache_miss_does_not_import_importlib_metadata(one_file: Path) -> None:
    """A fresh CI container pays the plugin scan on every run: it reads entry_points.txt files itself."""
    environment = dict(os.environ, STAGELINT_CACHE_DIR=str(one_file / "stages.yaml"), PYTHONUTF8="1")  # unwritable
    completed = subprocess.run([sys.executable, "-X", "importtime", "-m", "stagelint", "check", "stages.yaml"],
                               cwd=one_file, capture_output=True, text=True, env=environment, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    modules = {line.rsplit("|", 1)[1].strip() for line in completed.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    assert "stagelint.engine" in modules
    assert not {"importlib.metadata", "email", "zipfile", "csv"} & modules


def test_version_loads_no_engine(one_file: Path) -> None:
    modules = _imported(one_file, "--version")
    assert not {"stagelint.engine", "ruamel.yaml", "stagelint.registry"} & modules
