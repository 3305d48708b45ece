"""A large document checked in parts over the cores (`Share`) gives what the whole gives, byte for byte.

The parts are compared with the whole at two levels: each part's result, merged
(`checker.merge_shares`), against the whole document's result, for the real files and for
templates written to exercise what only the whole file has (parameters, unknown tags, duplicate
keys, conditions, comments); and the command line with parts forced (`STAGELINT_SHARES=always`)
against `--jobs 1`, in every machine format.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stagelint.checker import WorkUnit, merge_shares, process_share, process_unit
from stagelint.config import Config
from stagelint.decoders import format_for
from stagelint.decoders.result import Share
from stagelint.findings import SORT_KEY
from stagelint.limits import Limits
from stagelint.records import replace
from tests.conftest import CORPUS, REPO, generated

# What `check` runs with (no --verbose): the only runs that are split (`parallel._share_count`).
CHECK = replace(Config(), decode=replace(Config().decode, notes=False))

MANY_STAGES = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: 12
  Broken: [not, a, parameter]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Never: !Equals [a, b]
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: api
      EndpointConfiguration: {Types: [REGIONAL]}
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: http, ProtocolType: HTTP}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: !Ref Api}
  First:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: prod
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      CacheClusterEnabled: true
      CacheClusterSize: "0.5"
      Variables: {password: hunter2}
  Second:
    Type: AWS::ApiGateway::Stage
    Condition: IsProd
    Properties:
      StageName: !Sub "${Env}-two"
      RestApiId: !Ref Api
      MethodSettings:
        - {ResourcePath: "/*", HttpMethod: "*", CachingEnabled: true, CacheTtlInSeconds: 7200}
  NeverMade:
    Type: AWS::ApiGateway::Stage
    Condition: Never
    Properties: {StageName: never, RestApiId: !Ref Api}
  Third:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      StageName: $default
      ApiId: !Ref Http
      DefaultRouteSettings: {ThrottlingBurstLimit: -1}
      StageName: v2
  Fourth:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: Bad Name!
      RestApiId: !Reff Api
  Fifth:
    Type: AWS::ApiGateway::Stage
    Properties: &shared
      StageName: shared
      RestApiId: !Ref Api
      TracingEnabled: false
  Sixth:
    Type: AWS::ApiGateway::Stage
    Properties: *shared
"""


def _documents() -> list[Path]:
    found = sorted(path for root in (CORPUS, REPO / "examples") for path in root.rglob("*")
                   if path.is_file() and (fmt := format_for(str(path))) is not None and fmt.unit == "document")
    assert len(found) > 50
    return found


def _parts(path: str, config: Config, count: int) -> list[object]:
    unit = WorkUnit("document", os.path.dirname(path) or ".", (path,))
    return [process_share(unit, config, Share(part, count)) for part in range(count)]


def _whole(path: str, config: Config) -> object:
    """The whole document's result, its findings in the report's order (as the merge gives them: the
    order the checker made them in is not shown anywhere)."""
    result = process_unit(WorkUnit("document", os.path.dirname(path) or ".", (path,)), config)[0]
    return replace(result, findings=tuple(sorted(result.findings, key=SORT_KEY)))


@pytest.mark.parametrize("count", [2, 3])
def test_parts_of_real_documents_merge_into_the_whole(count: int) -> None:
    split = 0
    for path in map(str, _documents()):
        parts = _parts(path, CHECK, count)
        merged, whole = merge_shares(parts, CHECK), _whole(path, CHECK)
        # (None for a file that cannot be read: the run then checks it whole)
        assert merged == whole or (merged is None and whole.failed and whole.format is None), path  # type: ignore[attr-defined]
        split += sum(1 for part in parts if part.result.stage_count) >= 2
    assert split >= 3  # some real templates were read in parts, not only whole by the first


@pytest.mark.parametrize("count", [2, 3, 7])
@pytest.mark.parametrize("summaries", [False, True])
def test_parts_of_a_template_keep_the_whole_files_facts_once(tmp_path: Path, count: int, summaries: bool) -> None:
    """Parameters' failures, an unknown tag, a duplicate key, a stage not created, aliases: reported
    as the whole reports them, in its order (stage summaries too)."""
    template = tmp_path / "template.yaml"
    template.write_text(MANY_STAGES, encoding="utf-8")
    config = replace(CHECK, stage_summaries=summaries)
    whole = _whole(str(template), config)
    parts = _parts(str(template), config, count)
    assert merge_shares(parts, config) == whole
    assert {"SL000", "SL010"} <= {finding.rule_id for finding in whole.findings}  # type: ignore[attr-defined]
    assert whole.skipped_stages and whole.notes  # type: ignore[attr-defined]
    assert sum(1 for part in parts if part.result.findings) > 1  # read in parts


def test_a_template_with_comments_is_read_whole_by_the_first_part(tmp_path: Path) -> None:
    """An unused-suppression comment (SL900) is judged against every finding of the file."""
    template = tmp_path / "template.yaml"
    template.write_text(MANY_STAGES.replace("      Name: api\n", "      Name: api  # stagelint: ignore SL101\n"),
                        encoding="utf-8")
    parts = _parts(str(template), CHECK, 2)
    assert parts[1].result.findings == () and parts[1].result.stage_count == 0
    assert merge_shares(parts, CHECK) == _whole(str(template), CHECK)


def test_parts_that_evaluate_more_than_the_budget_together_are_checked_whole(tmp_path: Path) -> None:
    """The evaluation budget is the file's: parts that spend more than it between them cannot say
    where the whole would have run out, so the merge gives up (and the run checks the whole)."""
    stages = "".join(f"""  Stage{number}:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: !Sub "${{Prefix}}-{number:04}"
      RestApiId: api
""" for number in range(20))
    template = tmp_path / "template.yaml"
    template.write_text(f'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Prefix: {{Type: String, Default: '
                        f'{"x" * 40}}}\nResources:\n{stages}', encoding="utf-8")
    roomy = replace(CHECK, decode=replace(CHECK.decode, limits=Limits(max_evaluated_chars=100_000)))
    assert merge_shares(_parts(str(template), roomy, 2), roomy) == _whole(str(template), roomy)
    tight = replace(CHECK, decode=replace(CHECK.decode, limits=Limits(max_evaluated_chars=700)))
    assert merge_shares(_parts(str(template), tight, 2), tight) is None


def test_parts_that_take_more_cpu_time_than_the_limit_together_are_checked_whole(tmp_path: Path) -> None:
    """The time limit is the file's too: the whole might have run out of it where no part did."""
    template = tmp_path / "template.yaml"
    template.write_text(MANY_STAGES, encoding="utf-8")
    parts = _parts(str(template), CHECK, 2)
    assert all(part.cpu_seconds > 0 for part in parts)
    assert merge_shares(parts, CHECK) is not None
    limit = sum(part.cpu_seconds for part in parts) / 2
    short = replace(CHECK, decode=replace(CHECK.decode, limits=Limits(max_seconds_per_file=limit)))
    assert merge_shares(parts, short) is None
    unlimited = replace(CHECK, decode=replace(CHECK.decode, limits=Limits(max_seconds_per_file=0)))
    assert merge_shares(parts, unlimited) is not None


def _check(paths: list[str], cwd: Path, output_format: str, jobs: str, shares: str) -> bytes:
    environment = dict(os.environ, PYTHONUTF8="1", STAGELINT_POOL="never", STAGELINT_SHARES=shares)
    completed = subprocess.run(
        [sys.executable, "-m", "stagelint", "check", "--no-gitignore", "--format", output_format, "--jobs", jobs,
         *paths], cwd=cwd, capture_output=True, env=environment, timeout=600, check=False)
    assert completed.returncode in (1, 2), completed.stderr.decode()
    assert b"Traceback" not in completed.stderr
    return completed.stdout


@pytest.mark.parametrize("output_format", ["json", "sarif", "text"])
def test_the_command_line_gives_the_same_bytes_in_parts(tmp_path: Path, output_format: str) -> None:
    """Every document run in two parts at once (a worker process for the second) against `--jobs 1`."""
    (tmp_path / "big.yaml").write_text(_generated(0.2), encoding="utf-8")
    (tmp_path / "many.yaml").write_text(MANY_STAGES, encoding="utf-8")
    paths = ["big.yaml", "many.yaml", str(CORPUS / "cloudformation-yaml"), str(CORPUS / "cdk"),
             str(CORPUS / "sam"), str(REPO / "examples")]
    serial = _check(paths, tmp_path, output_format, "1", "never")
    assert serial.strip()
    assert _check(paths, tmp_path, output_format, "2", "always") == serial


def test_which_units_are_split(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from stagelint.parallel import SHARE_FROM_BYTES, _share_count

    monkeypatch.delenv("STAGELINT_SHARES", raising=False)
    small, large = tmp_path / "small.yaml", tmp_path / "large.yaml"
    small.write_text("Resources: {}\n", encoding="utf-8")
    stage = "Resources:\n  S:\n    Type: AWS::ApiGateway::Stage\n"
    filler = "#" * (5 * SHARE_FROM_BYTES // 2)  # 5 MB: within the 5 MiB limit
    large.write_text(stage + filler, encoding="utf-8")
    unit = WorkUnit("document", str(tmp_path), (str(large),))
    assert _share_count(unit, CHECK, 2) == 2
    assert _share_count(unit, CHECK, 8) == 5  # a part per MB or so
    assert _share_count(unit, CHECK, 1) == 1
    assert _share_count(unit, Config(), 2) == 1  # the notes of --verbose: read whole
    assert _share_count(WorkUnit("document", str(tmp_path), (str(small),)), CHECK, 2) == 1
    assert _share_count(WorkUnit("terraform", str(tmp_path), ("main.tf",)), CHECK, 2) == 1
    refused = replace(CHECK, decode=replace(CHECK.decode, limits=Limits(max_file_bytes=SHARE_FROM_BYTES)))
    assert _share_count(unit, refused, 2) == 1  # too large to be read at all: no worker started for it
    # What the bytes say the tree would rule out is read whole at once (`cloudformation.may_be_shardable`).
    for name, text in (("waf", stage + "  A:\n    Type: AWS::WAFv2::WebACLAssociation\n"),
                       ("sam", "Transform: AWS::Serverless-2016-10-31\n" + stage), ("plan", "")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text + filler, encoding="utf-8")
        assert _share_count(WorkUnit("document", str(tmp_path), (str(path),)), CHECK, 2) == 1, name
    monkeypatch.setenv("STAGELINT_SHARES", "always")
    assert _share_count(WorkUnit("document", str(tmp_path), (str(small),)), CHECK, 2) == 2
    assert _share_count(WorkUnit("document", str(tmp_path), (str(tmp_path / "waf.yaml"),)), CHECK, 2) == 2


def _generated(megabytes: float) -> str:
    return str(generated("big_cloudformation", megabytes))


def _cut_tree(text: str, share: Share) -> tuple[bool, str]:
    """Whether part `share` of `text` parses a cut text that verifies, and that text."""
    from stagelint.decoders import yaml_tree
    from stagelint.decoders.cloudformation import layout

    planned = layout.part_of(text, share)
    assert planned is not None
    part_text, _, kept, shape = planned
    return layout.verified(yaml_tree.parse(part_text, "t.yaml"), shape, kept), part_text


def test_a_part_parses_only_its_own_stage_resources_where_the_layout_tells_them() -> None:
    from stagelint.decoders.cloudformation import layout

    text = _generated(0.05)
    shape = layout.layout(text)
    assert shape is not None and len(shape.stage_blocks) == len(shape.blocks) // 2
    verified, part_text = _cut_tree(text, Share(1, 2))
    assert verified
    assert part_text.count("\n") == text.count("\n") and len(part_text) < 0.8 * len(text)
    assert "ProdStage0:" not in part_text and f"ProdStage{len(shape.stage_blocks) - 1}:" in part_text
    assert "Api0:" in part_text  # every other resource stays


@pytest.mark.parametrize("trap", [
    # a quoted scalar whose lines read as a stage resource: the cut changes the API's description
    '      Description: "one\n  Fake:\n    Type: AWS::ApiGateway::Stage\n    two"\n',
    # the same in single quotes, ending on the block's last line
    "      Description: 'one\n  Fake:\n    Type: AWS::ApiGateway::Stage'\n",
])
def test_a_cut_that_is_not_the_template_is_refused(tmp_path: Path, trap: str) -> None:
    """The layout is read from lines; the tree parsed from a cut text is checked against it, and a
    part whose cut is not the template parses the whole text (the merge is the whole all the same)."""
    text = _generated(0.02).replace('      Name: !Sub "api-3-${AWS::Region}"\n',
                                    '      Name: !Sub "api-3-${AWS::Region}"\n' + trap, 1)
    assert text.count("Fake:") == 1
    assert not all(_cut_tree(text, Share(part, 2))[0] for part in range(2))
    template = tmp_path / "template.yaml"
    template.write_text(text, encoding="utf-8")
    parts = _parts(str(template), CHECK, 2)
    assert any(part.cut_refused for part in parts)
    assert merge_shares(parts, CHECK) is None  # the run checks the whole
    from stagelint.parallel import _in_shares

    whole = _whole(str(template), CHECK)
    assert [replace(result, findings=tuple(sorted(result.findings, key=SORT_KEY)))
            for result in _in_shares(WorkUnit("document", str(tmp_path), (str(template),)), CHECK, 2)] == [whole]


def test_templates_that_are_not_laid_out_in_blocks_have_no_layout() -> None:
    from stagelint.decoders.cloudformation import layout

    block = _generated(0.01)
    assert layout.layout(block) is not None
    assert layout.layout(block.replace("Resources:\n", "Resources:  # the stages\n", 1)) is not None
    for changed in (block.replace("Resources:\n", "Resources: # x\n  # a comment at two spaces\n", 1),
                    block.replace("  Api0:\n", "  Api0: {Type: AWS::ApiGateway::RestApi}\n  Old:\n", 1),
                    block.replace("  Api1:\n", "  Api0:\n", 1),  # a name written twice
                    block + "Resources:\n  More:\n    Type: AWS::ApiGateway::Stage\n",
                    block.replace("Resources:\n", "Resources:\n\n  - list\n", 1),
                    block.replace("    Properties:\n", "    Properties: &props\n", 1)):  # an anchor
        assert layout.layout(changed) is None, changed[:200]


def test_a_part_that_leaves_a_stage_resource_out_still_knows_its_name(tmp_path: Path) -> None:
    """A `Ref` to another part's stage resource reads as in the whole template (the physical id of a
    resource, not a name the template does not declare); the cut is used, and the merge is the whole."""
    text = _generated(0.02)
    last = text.rindex("      StageName: ")
    text = text[:last] + "      Variables:\n        other: !Ref ProdStage0\n" + text[last:]
    template = tmp_path / "template.yaml"
    template.write_text(text, encoding="utf-8")
    config = replace(CHECK, stage_summaries=True)
    parts = _parts(str(template), config, 2)
    assert not any(part.cut_refused for part in parts)
    assert merge_shares(parts, config) == _whole(str(template), config)
    from stagelint.checker import decode_unit

    unit = WorkUnit("document", str(tmp_path), (str(template),))
    (decoded,) = decode_unit(unit, CHECK, Share(1, 2))
    assert "ProdStage0:" not in template.read_text(encoding="utf-8").split("Resources:")[0]
    (variable,) = decoded.stages[-1].variables.value
    assert variable.value.reason == "!Ref ProdStage0 is the physical id of resource ProdStage0"


def test_a_template_not_read_in_parts_is_read_whole_from_its_whole_text(tmp_path: Path) -> None:
    """A layout to cut and a web ACL association (not `shardable`): the first part reads every
    stage, from the whole text, not from the text it cut for itself."""
    template = tmp_path / "template.yaml"
    template.write_text(_generated(0.02) + """  Acl:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: arn:aws:apigateway:eu-west-1::/restapis/x/stages/prod0
      WebACLArn: arn:aws:wafv2:eu-west-1:1:regional/webacl/a/1
""", encoding="utf-8")
    whole = _whole(str(template), CHECK)
    parts = _parts(str(template), CHECK, 2)
    assert [part.result.stage_count for part in parts] == [whole.stage_count, 0]  # type: ignore[attr-defined]
    assert merge_shares(parts, CHECK) == whole


@pytest.mark.parametrize("size", [1, 2, 7, 30, 64, 1 << 16])
def test_the_look_at_a_templates_bytes_finds_marks_across_its_chunks(size: int) -> None:
    from stagelint.decoders.cloudformation import may_be_shardable

    def chunks(data: bytes) -> list[bytes]:
        return [data[start:start + size] for start in range(0, len(data), size)]

    stage = b"Resources:\n  S:\n    Type: AWS::ApiGateway::Stage\n"
    assert may_be_shardable(chunks(b"#" * 99 + stage + b"#" * 99))
    assert not may_be_shardable(chunks(b"#" * 99))  # no stage resource type: nothing to split
    for ruled_out in (b"    Type: AWS::WAFv2::WebACLAssociation\n", b"Transform: AWS::Serverless-2016-10-31\n"):
        assert not may_be_shardable(chunks(stage + b"#" * 97 + ruled_out))
