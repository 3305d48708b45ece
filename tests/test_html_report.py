"""`stagelint report`: one self-contained, deterministic HTML page with every section, user text escaped.

The page itself is exercised in a real browser by tests/test_html_browser.py; these tests read the
bytes: what is in it, what is not (no URL to load, no unescaped user text), and that two runs agree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.findings import Note
from stagelint.formatters.html import HtmlContext, render
from stagelint.formatters.html.assets import SCRIPT, script_hash
from stagelint.formatters.html.markup import esc, markdown
from stagelint.formatters.html.unverified import OTHER, group_notes, reason_of
from stagelint.registry import load_rules
from tests.conftest import CORPUS, QUIET_STAGE, REPO, run_cli


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parsed(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    output = tmp_path_factory.mktemp("report") / "report.html"
    completed = run_cli("report", "corpus", "-o", str(output), cwd=CORPUS.parent)
    assert completed.returncode == 2, completed.stderr  # the corpus holds files that do not parse
    assert "Traceback" not in completed.stderr
    return output.read_text(encoding="utf-8")


def test_the_page_has_every_section(corpus_page: str) -> None:
    ids = {attributes.get("id") for _, attributes in _parsed(corpus_page).tags}
    assert {"summary", "unverified", "unparsed", "inventory", "stages", "filter", "findings", "accepted",
            "provenance"} <= ids
    assert corpus_page.count("<svg ") == 5  # stages per format and environment, severities, rules, cost


def test_inventory_rows_are_the_corpus_stages(corpus_page: str) -> None:
    report = lint([str(CORPUS)], Config())
    rows = re.findall(r"<tr data-index=\"\d+\">", corpus_page)
    assert len(rows) == len(report.stages) > 200
    failed = [result.path for result in report.files if result.failed]
    assert len(failed) == 5
    section = corpus_page.split("id=\"unparsed\"")[1].split("</table>")[0]
    for path in failed:
        assert esc(Path(path).relative_to(CORPUS.parent).as_posix()) in section


def test_findings_show_source_rule_docs_and_origin(corpus_page: str) -> None:
    assert corpus_page.count("<article class=\"finding") == len(lint([str(CORPUS)], Config()).findings)
    assert "<pre class=\"snippet\">" in corpus_page and "<mark>" in corpus_page
    assert "<h4>Why is this bad?</h4>" in corpus_page and "Fix (use instead)" in corpus_page
    assert "<ol class=\"origin\"" in corpus_page  # a Terraform variable default or a CloudFormation parameter


def test_self_contained_nothing_to_load(corpus_page: str) -> None:
    page = _parsed(corpus_page)
    for tag, attributes in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        for name in ("src", "href", "action", "srcset", "data", "poster"):
            value = attributes.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert page.scripts == [SCRIPT]  # one script, ours, and the CSP allows only it
    assert f"script-src {script_hash()};" in corpus_page and "default-src 'none'" in corpus_page
    assert "@import" not in corpus_page and "url(" not in corpus_page.split("</style>")[0]
    assert "@media print" in corpus_page
    assert re.search(r"<dt>price table</dt><dd>us-east-1, USD, as of \d{4}-\d\d", corpus_page)


def test_two_reports_of_the_same_tree_are_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2", "2"):
        output = tmp_path / f"report-{len(outputs)}.html"
        completed = run_cli("report", "corpus", "--jobs", jobs, "-o", str(output), cwd=CORPUS.parent)
        assert completed.returncode == 2, completed.stderr
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


HOSTILE = '<script>alert(1)</script>\\e[2J\\u202e\\x07\\"\' onmouseover=x'


def _hostile_tree(root: Path) -> Path:
    folder = root / "a<b>&\"c"
    folder.mkdir()
    (folder / "stages.yaml").write_text(
        "stages:\n"
        f'  - name: "{HOSTILE}"\n'
        "    cache_cluster_enabled: true\n"
        '    cache_cluster_size: "6.2"  # stagelint: ignore[SL102] <img src=x onerror=alert(2)>\n'
        + QUIET_STAGE, encoding="utf-8")
    return folder


def test_user_text_is_escaped(tmp_path: Path) -> None:
    _hostile_tree(tmp_path)
    output = tmp_path / "report.html"
    completed = run_cli("report", ".", "--no-gitignore", "-o", str(output), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    text = output.read_text(encoding="utf-8")
    page = _parsed(text)
    assert page.scripts == [SCRIPT]
    assert [tag for tag, _ in page.tags if tag in ("img", "script")] == ["script"]
    assert not any(name.startswith("on") for _, attributes in page.tags for name in attributes)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # shown, as text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text  # the suppression's reason, in accepted risk
    assert "a&lt;b&gt;&amp;&quot;c/stages.yaml" in text  # the path
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]", text)  # controls shown as escapes
    assert "\\x1b[2J\\u202e\\x07" in text


def test_suppressed_findings_are_accepted_risk_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(
        "stages:\n  - name: prod\n    cache_cluster_enabled: true\n"
        '    cache_cluster_size: "6.2"  # stagelint: ignore[SL102] legacy size, TICKET-7\n'
        '    method_settings: [{resource_path: /*, http_method: "*", throttling_rate_limit: -5}]\n', encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert run_cli("check", "--write-baseline", str(baseline), "--select", "SL201", ".", cwd=tmp_path).returncode == 0
    output = tmp_path / "report.html"
    completed = run_cli("report", ".", "--select", "SL102,SL201", "--baseline", str(baseline), "-o", str(output),
                        cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    section = output.read_text(encoding="utf-8").split("id=\"accepted\"")[1].split("</section>")[0]
    assert "Accepted risk (2)" in section
    assert "inline ignore[SL102]</td><td>legacy size, TICKET-7</td>" in section
    assert "baseline</td><td><span class=\"unjustified\">none given</span>" in section


def test_provenance_names_version_commit_config_and_prices(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the provenance commit")
    (tmp_path / "stages.yaml").write_text("stages:\n  - name: prod\n", encoding="utf-8")
    (tmp_path / ".stagelint.toml").write_text('ignore = ["SL601"]\n', encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    output = tmp_path.parent / f"{tmp_path.name}.html"
    completed = run_cli("report", ".", "--var", "password=hunter2", "--region", "eu-west-1", "-o", str(output),
                        cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    section = output.read_text(encoding="utf-8").split("id=\"provenance\"")[1]
    assert f"<dd>{commit}</dd>" in section
    assert ".stagelint.toml" in section and "<dt>ignore</dt><dd>SL601</dd>" in section
    assert "<dt>region</dt><dd>eu-west-1</dd>" in section
    assert re.search(r"<dt>price table</dt><dd>(eu-west-1, USD, as of \d{4}-\d\d|none: cache costs are unknown)",
                     section)
    assert "password" in section and "hunter2" not in section  # variable values may be secrets


def test_outside_a_git_work_tree_the_commit_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text("stages:\n  - name: prod\n", encoding="utf-8")
    completed = run_cli("report", str(tmp_path / "stages.yaml"), "--isolated", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert "<dt>git commit</dt><dd>unknown (not in a git work tree)</dd>" in completed.stdout


def test_notes_are_grouped_by_reason() -> None:
    notes = [Note("b.tf", "aws_api_gateway_stage.x: deployment_id skipped: known after apply"),
             Note("a.yaml", "Resources.S: api (RestApiId) is unknown: !Ref Api names no parameter or resource"),
             Note("a.tf", "aws_api_gateway_stage.y: api skipped: known after apply"),
             Note("c.tf", "something nobody classified")]
    groups = group_notes([*notes, notes[0]])  # a duplicate is shown once
    assert [(heading, [note.path for note in members]) for heading, members in groups] == [
        (reason_of("known after apply"), ["a.tf", "b.tf"]),
        (reason_of("names no parameter or resource"), ["a.yaml"]),
        (OTHER, ["c.tf"]),
    ]


def test_every_corpus_note_has_a_reason_class() -> None:
    report = lint([str(CORPUS)], Config())
    unclassified = sorted({note.message for note in report.notes if reason_of(note.message) == OTHER})
    assert unclassified == []


def test_rule_docs_markdown_is_escaped() -> None:
    text = markdown("A `<b>` value & more\n\n- one <i>\n  two\n\n```yaml\nstages:\n  - name: \"<x>\"\n```\n")
    assert text == ("<p>A <code>&lt;b&gt;</code> value &amp; more</p>\n<ul><li>one &lt;i&gt; two</li></ul>\n"
                    "<pre class=\"doc\"><code>stages:\n  - name: &quot;&lt;x&gt;&quot;</code></pre>")


def test_render_from_the_api_needs_no_file(in_repo: Path) -> None:
    report = lint(["examples"], Config())
    context = HtmlContext(load_rules(), "0.0.0", Config(), ("examples",))
    text = render(report, context)
    assert text.startswith("<!DOCTYPE html>") and text.endswith("</html>\n")
    assert text == render(report, context)
    assert str(REPO) not in text  # paths as given, relative: nothing about the machine


def test_git_commit_never_fails_and_runs_no_repository_hook(tmp_path: Path) -> None:
    from stagelint.cli.report import git_commit

    assert git_commit(str(tmp_path / "missing" / "file.yaml")) is None
    assert git_commit(str(tmp_path)) is None  # not a work tree
    marker = tmp_path / "hook-ran"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "stages.yaml").write_text("stages: []\n", encoding="utf-8")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
    # A linted repository's own configuration must not make stagelint run its commands.
    subprocess.run([*git, "config", "core.fsmonitor", f"touch {marker}; false"], check=True)
    commit = git_commit(str(tmp_path / "stages.yaml"))
    assert commit is not None and re.fullmatch(r"[0-9a-f]{40}", commit)
    assert not marker.exists()


def test_an_empty_run_says_nothing_was_linted(tmp_path: Path) -> None:
    completed = run_cli("report", ".", "--isolated", cwd=tmp_path)
    assert completed.returncode == 0
    assert "warning: no file was checked: nothing was linted" in completed.stderr
    assert "<p class=\"warning\" role=\"alert\">Nothing was linted: no file was checked." in completed.stdout
