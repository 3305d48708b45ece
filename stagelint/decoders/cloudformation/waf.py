"""`AWS::WAFv2::WebACLAssociation` / `AWS::WAFRegional::WebACLAssociation` → the web ACL of the stage
their `ResourceArn` names, once every stage of the template is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from stagelint.decoders.cloudformation.intrinsics import as_call
from stagelint.decoders.cloudformation.template import Readers
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.findings import Note
from stagelint.model import Stage

WAF_ASSOCIATIONS = frozenset({"AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation"})
_STAGE_ARN = re.compile(r"/restapis/(?P<api>[^/]+)/stages/(?P<stage>[^/]+)$")
_REFERENCE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass(slots=True)
class Built:
    """A stage under construction, with what the WAF pass needs to find it."""

    logical_id: str
    resource_type: str
    stage: Stage


def attach_web_acls(readers: Readers, resources: MappingNode, built: list[Built]) -> None:
    if not built:
        return
    for key, resource in resources.items():
        if not isinstance(resource, MappingNode):
            continue
        kind = resource.get("Type")
        if not isinstance(kind, ScalarNode) or kind.value not in WAF_ASSOCIATIONS:
            continue
        props = resource.get("Properties")
        if not isinstance(props, MappingNode):
            continue
        arn_node = props.get("ResourceArn")
        acl_key = "WebACLArn" if kind.value == "AWS::WAFv2::WebACLAssociation" else "WebACLId"
        acl_node = props.get(acl_key)
        if arn_node is None or acl_node is None:
            continue
        targets = _waf_targets(arn_node, built)
        if not targets:
            readers.notes.append(
                Note(
                    readers.path,
                    f"Resources.{key.value}: cannot tell which stage its ResourceArn names",
                    arn_node.span,
                )
            )
            continue
        acl = readers.leaf(acl_node, acl_key)
        for target in targets:
            target.stage = replace(target.stage, web_acl_arn=acl)


def _waf_targets(arn_node: Node, built: list[Built]) -> list[Built]:
    """The stages an association's ResourceArn (`…/restapis/<api>/stages/<stage>`) names: by a
    reference to a stage resource (`${ProdStage}`, `${MyApi.Stage}` in SAM), or by a literal
    stage name on the referenced API."""
    text = _arn_text(arn_node)
    if text is None:
        return []
    match = _STAGE_ARN.search(text)
    if match is None:
        return []
    api, stage = match.group("api"), match.group("stage")
    reference = _REFERENCE.fullmatch(stage)
    if reference is not None:
        name = reference.group(1)
        logical_id = name.removesuffix(".Stage")
        return [item for item in built if item.logical_id == logical_id]
    api_reference = _REFERENCE.fullmatch(api)
    api_id = api_reference.group(1).split(".")[0] if api_reference is not None else None
    return [
        item
        for item in built
        if item.stage.name.known_equals(stage)
        and (api_id is None or item.stage.api.known_equals(api_id) or item.logical_id == api_id)
    ]


def _arn_text(node: Node) -> str | None:
    """The ARN as text, with each reference written `${Name}` (Fn::Sub's own spelling)."""
    call = as_call(node)
    if call is None:
        return node.value if isinstance(node, ScalarNode) and isinstance(node.value, str) else None
    argument = call.argument
    if call.name == "Fn::Sub":
        template = (
            argument.items[0] if isinstance(argument, SequenceNode) and argument.items else argument
        )
        return (
            template.value
            if isinstance(template, ScalarNode) and isinstance(template.value, str)
            else None
        )
    if call.name == "Ref" and isinstance(argument, ScalarNode):
        return "${" + str(argument.value) + "}"
    if call.name == "Fn::GetAtt":
        if isinstance(argument, ScalarNode):
            return "${" + str(argument.value) + "}"
        if isinstance(argument, SequenceNode):
            return "${" + ".".join(str(getattr(item, "value", "?")) for item in argument.items) + "}"
    if (
        call.name == "Fn::Join"
        and isinstance(argument, SequenceNode)
        and len(argument.items) == 2
        and isinstance(argument.items[0], ScalarNode)
        and isinstance(argument.items[1], SequenceNode)
    ):
        parts = [_arn_text(item) for item in argument.items[1].items]
        return str(argument.items[0].value or "").join(
            part if part is not None else "?" for part in parts
        )
    return None
