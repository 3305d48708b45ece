"""Write a fixture case in another syntax of the same format, so each rule's fixtures cover it:
CloudFormation YAML → CloudFormation JSON (short tags become their `Fn::` forms), and simple
Terraform HCL → `.tf.json` (blocks, attributes, literals, references as `${...}` templates).

    .venv/bin/python scripts/fixture_formats.py fixtures/SL104-cache-data-unencrypted

It writes `cloudformation-json/` from `cloudformation/` and `terraform-json/` from `terraform/` when
they are missing; then run `tests/update_fixtures.py` on the new folders and compare the findings
with the source folder's (the same rules on the same values, at the new positions).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

LONG_FORMS = {"Ref": "Ref", "Condition": "Condition", "GetAtt": "Fn::GetAtt"}


def _yaml_to_data(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

    def convert(node: Any) -> Any:
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, CommentedMap):
            data: Any = {str(key): convert(value) for key, value in node.items()}
        elif isinstance(node, CommentedSeq):
            data = [convert(item) for item in node]
        elif isinstance(node, TaggedScalar):
            data = node.value
        else:
            data = node
        if tag and tag.startswith("!"):
            name = tag[1:]
            if name == "GetAtt" and isinstance(data, str):
                data = data.split(".", 1)
            return {LONG_FORMS.get(name, f"Fn::{name}"): data}
        return data

    yaml = YAML(typ="rt")
    return convert(yaml.load(text))


def cloudformation_json(folder: Path) -> None:
    target = folder / "cloudformation-json"
    if target.exists() or not (folder / "cloudformation").is_dir():
        return
    target.mkdir()
    for case in sorted((folder / "cloudformation").glob("*.yaml")):
        data = _yaml_to_data(case.read_text(encoding="utf-8"))
        (target / case.with_suffix(".json").name).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


_REFERENCE = re.compile(r"^(?:var|local|module|data|each|count|aws_\w+)\.[\w.\[\]\"*-]+$")


def _hcl_value(text: str) -> Any:
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    if text.startswith('"') and text.endswith('"'):
        return json.loads(text)
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_hcl_value(item) for item in _split(inner)] if inner else []
    if text.startswith("{") and text.endswith("}"):  # an inline object: `{ cache = "0.5" }`
        pairs = [item.partition("=") for item in _split(text[1:-1].strip())]
        return {key.strip().strip('"'): _hcl_value(value) for key, _, value in pairs}
    if text in ("string", "number", "bool", "any"):  # a variable's type: a string in JSON syntax
        return text
    if _REFERENCE.match(text) or "(" in text:
        return "${" + text + "}"
    raise ValueError(f"not a simple HCL value: {text}")


def _split(text: str) -> list[str]:
    parts, depth, current, quoted = [], 0, "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        if not quoted and char in "[{(":
            depth += 1
        if not quoted and char in "]})":
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current)
    return parts


def _hcl_body(lines: list[str], index: int) -> tuple[dict[str, Any], int]:
    body: dict[str, Any] = {}
    while index < len(lines):
        line = lines[index].split(" #")[0].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        if line == "}":
            return body, index
        block = re.fullmatch(r'([\w-]+)((?:\s+"[^"]*")*)\s*\{', line)
        if block:
            labels = re.findall(r'"([^"]*)"', block.group(2))
            inner, index = _hcl_body(lines, index)
            if not labels:  # a nested block (`settings { ... }`): a list of objects in JSON syntax
                body.setdefault(block.group(1), []).append(inner)
                continue
            slot: Any = body
            for key in [block.group(1), *labels[:-1]]:
                slot = slot.setdefault(key, {})
            slot[labels[-1]] = inner
            continue
        name, _, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if value == "{":
            mapping: dict[str, Any] = {}
            while (entry := lines[index].split(" #")[0].strip()) != "}":
                index += 1
                if entry:
                    key, _, item = entry.partition("=")
                    mapping[key.strip().strip('"')] = _hcl_value(item)
            index += 1
            body[name] = mapping
        else:
            body[name] = _hcl_value(value)
    return body, index


def terraform_json(folder: Path) -> None:
    target = folder / "terraform-json"
    if target.exists() or not (folder / "terraform").is_dir():
        return
    for case in sorted((folder / "terraform").rglob("*.tf")):
        relative = case.relative_to(folder / "terraform")
        body, _ = _hcl_body(case.read_text(encoding="utf-8").splitlines(), 0)
        out = target / relative.with_suffix(".tf.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        cloudformation_json(Path(argument))
        terraform_json(Path(argument))
