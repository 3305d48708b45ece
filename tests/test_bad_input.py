"""Whatever a repository holds, a run ends with one clear outcome per file and no traceback."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.report import FileResult, Report
from tests.conftest import COMPLETENESS_RULES, QUIET_STAGE, run_cli

STAGE_FILE = """stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "6.2"
""" + QUIET_STAGE


def _lint(*paths: Path, jobs: int = 1) -> Report:
    return lint([str(path) for path in paths], Config(jobs=jobs, respect_gitignore=False, ignore=COMPLETENESS_RULES))


def _only(report: Report) -> FileResult:
    assert len(report.files) == 1, [result.path for result in report.files]
    return report.files[0]


def _sl000_message(result: FileResult) -> str:
    assert result.failed, result
    messages = [finding.message for finding in result.findings if finding.rule_id == "SL000"]
    assert len(messages) == 1, result.findings
    return messages[0]


def test_binary_file_is_reported_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary file" in _sl000_message(_only(_lint(path)))


def test_not_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(STAGE_FILE.replace("prod", "pr\xf6d").encode("latin-1"))
    result = _only(_lint(path))
    message = _sl000_message(result)
    assert "not valid UTF-8" in message and "0xf6" in message and "line 2" in message
    assert result.findings[0].position.line == 2


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "stages.yaml"
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    path.write_bytes(bom + STAGE_FILE.encode(encoding))
    result = _only(_lint(path))
    assert not result.failed
    assert [(finding.rule_id, finding.position.line) for finding in result.findings] == [("SL102", 4)]


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "stages.yaml"
    path.write_bytes(codecs.BOM_UTF8 + STAGE_FILE.encode())
    assert [finding.rule_id for finding in _only(_lint(path)).findings] == ["SL102"]


def test_not_utf8_after_a_bom_is_placed_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "stages.yaml"
    path.write_bytes(codecs.BOM_UTF8 + b"ab\xff: 1\n")
    result = _only(_lint(path))
    assert "0xff on line 1" in _sl000_message(result)
    assert (result.findings[0].position.line, result.findings[0].position.column) == (1, 3)  # the BOM is no column


def test_utf32_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "stages.yaml"
    path.write_bytes(codecs.BOM_UTF32_LE + STAGE_FILE.encode("utf-32-le"))
    assert "UTF-32" in _sl000_message(_only(_lint(path)))


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "blank.json").write_text("  \n\n")
    report = _lint(tmp_path / "empty.yaml", tmp_path / "blank.json")
    assert len(report.files) == 2
    for result in report.files:  # an empty file holds no stages: skipped, not an error
        assert not result.failed and not result.findings and not result.stages
        assert any("empty" in note.message for note in result.notes)


def test_symlink_loop_in_a_walk_ends(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "stages.yaml").write_text(STAGE_FILE)
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    os.symlink(tmp_path / "self.yaml", tmp_path / "self.yaml")  # a link to itself
    report = _lint(tmp_path)
    paths = [result.path for result in report.files]
    assert any(path.endswith("a/stages.yaml") for path in paths)
    assert not any("loop/loop" in path for path in paths)


def test_self_referencing_symlink_given_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "self.yaml"
    os.symlink(path, path)
    message = _sl000_message(_only(_lint(path)))
    assert "cannot read" in message or "no such file" in message


def test_dangling_symlink_given_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.yaml"
    os.symlink(tmp_path / "nowhere.yaml", path)
    assert "no such file" in _sl000_message(_only(_lint(path)))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_does_not_hang_the_run(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: it must be refused, not opened."""
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "stages.yaml").write_text(STAGE_FILE)
    result = _only(_lint(tmp_path / "pipe.yaml"))
    assert "not a regular file" in _sl000_message(result)
    walked = _lint(tmp_path)  # a walk does not even list it
    assert [result.path.rsplit("/", 1)[-1] for result in walked.files] == ["stages.yaml"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(STAGE_FILE)
    path.chmod(0)
    try:
        assert "permission denied" in _sl000_message(_only(_lint(path)))
    finally:
        path.chmod(0o644)


def test_directory_given_with_a_file_suffix_is_walked(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like-a-file.yaml"
    folder.mkdir()
    (folder / "stages.yaml").write_text(STAGE_FILE)
    report = _lint(folder)
    assert [finding.rule_id for finding in report.findings] == ["SL102"]


def test_paths_with_spaces_and_non_ascii_names(tmp_path: Path) -> None:
    folder = tmp_path / "my stages" / "prod ünïcødé 日本"
    folder.mkdir(parents=True)
    path = folder / "stage file ✓.yaml"
    path.write_text(STAGE_FILE, encoding="utf-8")
    for report in (_lint(path), _lint(tmp_path / "my stages")):
        result = _only(report)
        assert result.path.endswith("stage file ✓.yaml")
        assert [finding.rule_id for finding in result.findings] == ["SL102"]
    completed = run_cli("check", "--format", "json", str(path))
    assert completed.returncode == 1, completed.stderr
    assert "stage file ✓.yaml" in completed.stdout


def test_nonexistent_path_exits_3_with_a_message(tmp_path: Path) -> None:
    completed = run_cli("check", str(tmp_path / "missing.yaml"))
    assert completed.returncode == 3
    assert "path does not exist" in completed.stderr and "missing.yaml" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_large_directory_completes_and_finds_the_stage_files(tmp_path: Path) -> None:
    """100,000 entries, nearly all of them files stagelint does not read (a node_modules-like tree)."""
    noise = tmp_path / "vendor"
    for group in range(100):
        folder = noise / f"g{group:03d}"
        folder.mkdir(parents=True)
        for number in range(1000):
            (folder / f"f{number}.txt").touch()
    for number in range(5):
        (tmp_path / f"stages{number}.yaml").write_text(STAGE_FILE)
    report = _lint(tmp_path, jobs=0)
    assert len(report.files) == 5
    assert [finding.rule_id for finding in report.findings] == ["SL102"] * 5
