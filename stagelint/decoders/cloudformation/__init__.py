"""CloudFormation, SAM and CDK templates → stages.

One decoder reads hand-written templates (YAML or JSON, short-form tags or long forms), SAM
templates (`sam.py` expands `AWS::Serverless::Api`/`HttpApi` with their Globals) and CDK output
(plain JSON templates). The Resources loop lives here; the rest is split by job:

- `template.py`: the property readers every stage is read through (leaves, structured properties,
  `Fn::If` choices, maps);
- `resources.py`: the plain CloudFormation stage resources; `sam.py`: the `AWS::Serverless::*` ones;
- `waf.py`: web ACL associations; `parameters.py`: Parameters and their overrides;
- `conditions.py`: whether a resource with a `Condition` exists for some allowed parameter value;
- `intrinsics.py`: the intrinsic functions.

Stages come from:

- `AWS::ApiGateway::Stage`;
- `AWS::ApiGateway::Deployment` with a `StageName` (it creates that stage, configured by
  `StageDescription`);
- `AWS::ApiGatewayV2::Stage` (`DefaultRouteSettings`, `RouteSettings` keyed by route key);
- `AWS::Serverless::Api`, `AWS::Serverless::HttpApi`, `AWS::Serverless::WebSocketApi`;

and `AWS::WAFv2::WebACLAssociation` / `AWS::WAFRegional::WebACLAssociation` attach a web ACL to the
stage their `ResourceArn` names. Values go through `intrinsics.Resolver`, so nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Iterable

from stagelint.config import DecodeOptions
from stagelint.decoders.cloudformation import sam
from stagelint.decoders.cloudformation.conditions import Conditions, Existence, allowed_values
from stagelint.decoders.cloudformation.deployments import link_deployments
from stagelint.decoders.cloudformation.intrinsics import SHORT_TAGS, Resolver
from stagelint.decoders.cloudformation.parameters import read_parameters
from stagelint.decoders.cloudformation.resources import resource_stage
from stagelint.decoders.cloudformation.template import Readers
from stagelint.decoders.cloudformation.waf import WAF_ASSOCIATIONS, Built, attach_web_acls
from stagelint.decoders.result import DecodedFile, ParseFailure, Share
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.findings import Note
from stagelint.model import SourceFormat, Stage
from stagelint.records import replace

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
SAM_PREFIX = "AWS::Serverless::"
# SAM's implicit APIs, created from a function's `Api`/`HttpApi` events: real resources after the transform.
SAM_IMPLICIT_APIS = frozenset({"ServerlessRestApi", "ServerlessHttpApi"})
STAGE_TYPES = frozenset(
    {
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGatewayV2::Stage",
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::Serverless::WebSocketApi",
    }
)


def is_template(root: Node) -> bool:
    """A CloudFormation (or SAM, or CDK) template: `AWSTemplateFormatVersion`, or `Resources` holding
    at least one resource with an `AWS::…` type. A YAML file that merely has a `Resources` key of
    another shape (a Kubernetes manifest, an app config) is not one."""
    if not isinstance(root, MappingNode):
        return False
    if root.get("AWSTemplateFormatVersion") is not None:
        return True
    resources = root.get("Resources")
    if not isinstance(resources, MappingNode):
        return False
    for _, resource in resources.items():
        if isinstance(resource, MappingNode):
            kind = resource.get("Type")
            if (
                isinstance(kind, ScalarNode)
                and isinstance(kind.value, str)
                and kind.value.startswith("AWS::")
            ):
                return True
    return False


def _sam_transform(root: MappingNode) -> bool:
    transform = root.get("Transform")
    names = transform.items if isinstance(transform, SequenceNode) else [transform] if transform else []
    return any(isinstance(name, ScalarNode) and name.value == SAM_TRANSFORM for name in names)


def is_sam(root: MappingNode) -> bool:
    """SAM by its Transform, or by its resource types (SAM translator inputs often omit the Transform)."""
    if _sam_transform(root):
        return True
    resources = root.get("Resources")
    if isinstance(resources, MappingNode):
        for _, resource in resources.items():
            kind = resource.get("Type") if isinstance(resource, MappingNode) else None
            if (
                isinstance(kind, ScalarNode)
                and isinstance(kind.value, str)
                and kind.value.startswith(SAM_PREFIX)
            ):
                return True
    return False


def decode(root: MappingNode, path: str, options: DecodeOptions, share: Share | None = None) -> DecodedFile:
    """The template's stages; with `share`, only that part's (the template must be `shardable`)."""
    return TemplateDecoder(root, path, options, share.absent if share is not None else frozenset()).decode(share)


def shardable(root: MappingNode) -> bool:
    """Whether each stage of the template is read from its own resource alone, so that its stage
    resources can be decoded in parts (`Share`) that give, put together, what the whole gives.

    Not when one stage's reading looks at others: SAM (implicit APIs, the extra stage `Stage`, which
    takes its API's environment), a web ACL association (it names a stage, or may protect any: the WAF
    pass looks through every stage), or a Deployment with a `StageName` (it creates a stage that a
    Stage resource may create too: SL404 compares them)."""
    resources = root.get("Resources")
    if not isinstance(resources, MappingNode) or _sam_transform(root):
        return False
    for _, resource in resources.items():  # (`is_sam`'s walk, in the same pass)
        if not isinstance(resource, MappingNode):
            continue
        kind = resource.get("Type")
        kind_name = kind.value if isinstance(kind, ScalarNode) else None
        if kind_name in WAF_ASSOCIATIONS or (isinstance(kind_name, str) and kind_name.startswith(SAM_PREFIX)):
            return False
        if kind_name == "AWS::ApiGateway::Deployment":
            props = resource.get("Properties")
            if not isinstance(props, MappingNode) or props.get("StageName") is not None:
                return False
    return True


# Bytes that rule `shardable` out wherever they stand (SAM's transform and resource types both begin
# `AWS::Serverless`, SAM_PREFIX without its `::`; web ACL associations), and those without which
# there is no stage to split.
_NOT_SHARDABLE_MARKS = tuple(mark.encode() for mark in sorted({SAM_PREFIX.rstrip(":"), *WAF_ASSOCIATIONS}))
_STAGE_MARKS = tuple(kind.encode() for kind in sorted(STAGE_TYPES))
_LONGEST_MARK = max(map(len, _NOT_SHARDABLE_MARKS + _STAGE_MARKS))


def may_be_shardable(chunks: Iterable[bytes]) -> bool:
    """Whether a document's bytes, in consecutive chunks, leave it to its tree to say whether it is
    `shardable`: False when they name SAM (`AWS::Serverless…`) or a web ACL association, or no stage
    resource type. A look before any parse, so that a template its tree would rule out is parsed
    once, whole, not in parts first; either answer is safe (a document read whole is the whole), and
    a True one the tree still decides (a Deployment with a `StageName` is not told from the text)."""
    staged = False
    carried = b""  # a chunk's end, in which a mark may begin that the next chunk ends
    for chunk in chunks:
        window = carried + chunk
        if any(mark in window for mark in _NOT_SHARDABLE_MARKS):
            return False
        staged = staged or any(mark in window for mark in _STAGE_MARKS)
        carried = window[max(0, len(window) - _LONGEST_MARK + 1):]
    return staged


class TemplateDecoder:
    def __init__(self, root: MappingNode, path: str, options: DecodeOptions,
                 absent: frozenset[str] = frozenset()) -> None:
        """`absent`: resources the template declares that the tree leaves out (`Share.absent`)."""
        self.root = root
        self.path = path
        self.options = options
        self.failures: list[ParseFailure] = []
        self.notes: list[Note] = []
        self.skipped_stages: list[str] = []
        self.sam = is_sam(root)
        self.format = SourceFormat.SAM if self.sam else SourceFormat.CLOUDFORMATION
        resources = root.get("Resources")
        self.resources = resources if isinstance(resources, MappingNode) else None
        conditions = root.get("Conditions")
        mappings = root.get("Mappings")
        self.resolver = Resolver(
            read_parameters(root, options, self.failures),
            {str(key.value): value for key, value in conditions.items()}
            if isinstance(conditions, MappingNode)
            else {},
            mappings if isinstance(mappings, MappingNode) else None,
            self.resources,
            (SAM_IMPLICIT_APIS if self.sam else frozenset()) | absent,
            options.limits.max_evaluated_chars,
        )
        self.readers = Readers(path, self.format, self.resolver, self.notes)
        self.conditions = Conditions(self.resolver, allowed_values(root))

    # -- the whole file ---------------------------------------------------------------------------
    def decode(self, share: Share | None = None) -> DecodedFile:
        if share is not None and share.part > 0:
            # The whole file's own notes (its parameters') are the first part's; its failures every
            # part finds, and the merge reports once. (The readers append to `notes`: emptied, kept.)
            del self.notes[:]
        self._check_tags()
        built: list[Built] = []
        if self.resources is not None:
            candidates = [(key, resource, str(kind.value)) for key, resource in self.resources.items()
                          if isinstance(resource, MappingNode)
                          for kind in (resource.get("Type"),)
                          if isinstance(kind, ScalarNode) and kind.value in STAGE_TYPES]
            for position, (key, resource, kind_name) in enumerate(candidates):
                if share is not None and not share.owns(position, len(candidates), key.span.line):
                    continue
                existence = self._existence(key, resource)
                if not existence.created:
                    continue
                stage: Stage | None
                if kind_name.startswith(SAM_PREFIX):
                    stage = sam.decode_resource(self.readers, self.root, key, resource, kind_name)
                else:
                    stage = resource_stage(self.readers, key, resource, kind_name)
                if stage is not None:
                    if existence.condition != stage.condition:  # (a replace that changes nothing is a copy)
                        stage = replace(stage, condition=existence.condition)
                    built.append(Built(str(key.value), kind_name, stage))
                if kind_name == "AWS::Serverless::Api":
                    self._add_extra_stage(built, key, resource, existence.condition)
            if self.sam:
                for implicit_key, implicit, implicit_kind in sam.implicit_apis(self.resources):
                    stage = sam.decode_resource(self.readers, self.root, implicit_key, implicit, implicit_kind)
                    if stage is not None:
                        built.append(Built(str(implicit_key.value), implicit_kind, stage))
                    if implicit_kind == "AWS::Serverless::Api":
                        self._add_extra_stage(built, implicit_key, implicit, None)
            attach_web_acls(self.readers, self.resources, built)
            link_deployments(self.readers, self.resources, built)
        role = self._declares_logging_role()
        stages = tuple(replace(item.stage, account_logging_role=role) if item.endpoint_type is None
                       else replace(item.stage, account_logging_role=role, endpoint_type=item.endpoint_type)
                       for item in built)
        for stage in stages if self.options.notes else ():
            for attribute, tracked in stage.unknown_leaves():
                self.notes.append(
                    Note(
                        self.path,
                        f"{stage.address}: {attribute} ({tracked.spelled_as}) is unknown: "
                        f"{tracked.reason}",
                        tracked.position,
                    )
                )
        return DecodedFile(
            self.path, self.format.value, stages, tuple(self.failures), tuple(self.notes),
            skipped_stages=tuple(self.skipped_stages), evaluated_chars=self.resolver.budget.used,
        )

    def _declares_logging_role(self) -> bool:
        """An `AWS::ApiGateway::Account` that is created and sets `CloudWatchRoleArn` (SL506)."""
        for _, resource in self.resources.items() if self.resources is not None else ():
            if not isinstance(resource, MappingNode):
                continue
            kind, props = resource.get("Type"), resource.get("Properties")
            if (
                isinstance(kind, ScalarNode)
                and kind.value == "AWS::ApiGateway::Account"
                and isinstance(props, MappingNode)
                and props.get("CloudWatchRoleArn") is not None
                and self._created(resource)
            ):
                return True
        return False

    def _check_tags(self) -> None:
        """An unknown tag (`!Reff`) is a template error CloudFormation rejects: report it once, at its
        source (a node shared by YAML aliases is visited once)."""
        facts = self.root.facts  # (what the YAML events builder saw: no walk when no tag is unknown)
        if facts is not None and all(tag in SHORT_TAGS for tag in facts.local_tags):
            return
        if not _has_unknown_tag(self.root):  # the usual case, found without a step per scalar
            return
        stack: list[Node] = [self.root]
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.tag is not None and node.tag not in SHORT_TAGS:
                self.failures.append(
                    ParseFailure(
                        self.path,
                        f"unknown tag {node.tag}: not a CloudFormation intrinsic function",
                        node.span,
                    )
                )
            if isinstance(node, SequenceNode):
                stack.extend(node.items)
            elif isinstance(node, MappingNode):
                stack.extend(value for _, value in node.pairs)

    def _add_extra_stage(self, built: list[Built], key: ScalarNode, resource: MappingNode,
                         condition: str | None) -> None:
        """SAM's extra stage `Stage` of a REST API, created under the API's own condition (SAM passes
        `Condition` through to the deployment that creates it)."""
        extra = sam.extra_stage(self.readers, self.root, key, resource)
        if extra is not None:
            built.append(Built(extra.address.removeprefix("Resources."), "AWS::ApiGateway::Deployment",
                               replace(extra, condition=condition)))

    def _created(self, resource: MappingNode) -> bool:
        condition = resource.get("Condition")
        if not isinstance(condition, ScalarNode) or not isinstance(condition.value, str):
            return True
        return self.conditions.existence(condition.value).created

    def _existence(self, key: ScalarNode, resource: MappingNode) -> Existence:
        """Whether the resource is created: a `Condition` false for every value the parameters allow
        removes it; one false with the defaults (or undecidable) keeps it, named on its findings."""
        condition = resource.get("Condition")
        if not isinstance(condition, ScalarNode) or not isinstance(condition.value, str):
            return Existence(True)
        existence = self.conditions.existence(condition.value)
        if not existence.created:
            message = f"Resources.{key.value} is not created: {existence.why}"
            self.notes.append(Note(self.path, message, key.span))
            self.skipped_stages.append(message)
        elif existence.condition is not None:
            self.notes.append(Note(self.path, f"Resources.{key.value} is created only when condition "
                                   f"{existence.condition} is true ({existence.why}): linted, its findings say so",
                                   key.span))
        return existence


def _has_unknown_tag(root: Node) -> bool:
    """Whether `_check_tags` would report anything: the same nodes (values and items, not keys), but a
    scalar is looked at where it is found instead of being pushed, remembered and popped."""
    if root.tag is not None and root.tag not in SHORT_TAGS:
        return True
    stack: list[Node] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        children = node.items if isinstance(node, SequenceNode) else [value for _, value in node.pairs] \
            if isinstance(node, MappingNode) else []
        for child in children:
            if child.tag is not None and child.tag not in SHORT_TAGS:
                return True
            if type(child) is not ScalarNode and id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return False
