"""Record classes: the generated methods are current, used, and behave as `dataclasses`' own."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys

import pytest

from stagelint import records
from tests.conftest import REPO

GENERATOR = REPO / "scripts" / "generate_records.py"


def test_the_generated_methods_are_current() -> None:
    """Fails after a field is added, removed or renamed: run `python scripts/generate_records.py`."""
    completed = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True,
                               cwd=REPO, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr


def test_every_record_class_uses_the_generated_methods() -> None:
    """In a fresh process that imports every module: no class fell back, and `dataclasses` stayed unloaded."""
    script = ("import json, sys; sys.path.insert(0, 'scripts'); import generate_records as g\n"
              "for name in g._modules(): __import__(name)\n"
              "from stagelint.records import DEFINED, FALLBACK\n"
              "print(json.dumps([len(DEFINED), sorted(FALLBACK), 'dataclasses' in sys.modules]))")
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                               timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    count, fallback, loaded = json.loads(completed.stdout)
    assert count > 40 and fallback == [] and loaded is False


# One class per shape: frozen + slots, frozen with factories, slots with __post_init__ and repr=False,
# mutable, eq=False, order=True, generic.
SHAPES = ["stagelint.positions.SourcePosition", "stagelint.config.Config", "stagelint.decoders.tree.MappingNode",
          "stagelint.decoders.terraform.syntax.Body", "stagelint.tracked.Tracked", "stagelint.findings.Finding"]


def _twin(record: type) -> type:
    """The same definition built by dataclasses.dataclass, for comparison."""
    key = f"{record.__module__}.{record.__qualname__}"
    flags = dict(records.DEFINED[key][0])
    namespace: dict[str, object] = {"__annotations__": dict(record.__annotations__),
                                    "__module__": record.__module__, "__qualname__": record.__qualname__}
    for spec in records.fields(record):
        if spec.kind == "default":
            namespace[spec.name] = dataclasses.field(default=spec.default, repr=spec.repr, compare=spec.compare)
        elif spec.kind == "factory":
            namespace[spec.name] = dataclasses.field(default_factory=spec.default_factory, repr=spec.repr,
                                                     compare=spec.compare)
    for name in ("__post_init__",):
        if hasattr(record, name):
            namespace[name] = getattr(record, name)
    return dataclasses.dataclass(type(record.__name__, (), namespace), **flags)  # type: ignore[call-overload, no-any-return]


def _class(key: str) -> type:
    module, _, name = key.rpartition(".")
    return getattr(__import__(module, fromlist=[name]), name)  # type: ignore[no-any-return]


def test_generated_signatures_and_fields_are_those_of_dataclasses() -> None:
    import inspect

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import generate_records
    finally:
        sys.path.remove(str(REPO / "scripts"))
    for name in generate_records._modules():  # every record class, whatever the suite imported so far
        __import__(name)
    for key in records.DEFINED:
        if not key.startswith("stagelint."):
            continue
        record = _class(key)
        twin = _twin(record)
        # Names, defaults and kinds (the generated __init__ carries no annotations: nothing reads them).
        assert [(parameter.name, repr(parameter.default), parameter.kind)
                for parameter in inspect.signature(record).parameters.values()] == \
            [(parameter.name, repr(parameter.default), parameter.kind)
             for parameter in inspect.signature(twin).parameters.values()], key
        assert [item.name for item in dataclasses.fields(record)] == [item.name for item in dataclasses.fields(twin)]
        assert dataclasses.is_dataclass(record)
        for method in ("__eq__", "__hash__", "__lt__", "__setattr__", "__getstate__"):
            assert (getattr(record, method, None) is None) == (getattr(twin, method, None) is None), (key, method)
        assert getattr(record, "__slots__", None) == getattr(twin, "__slots__", None), key
        assert record.__match_args__ == twin.__match_args__, key


def test_a_record_compares_hashes_prints_and_pickles_as_a_dataclass() -> None:
    from stagelint.positions import SourcePosition

    twin = _twin(SourcePosition)
    first, again, other = SourcePosition("a.yaml", 1, 2, 3, 4), SourcePosition("a.yaml", 1, 2, 3, 4), \
        SourcePosition("b.yaml", 1, 2, 3, 4)
    assert first == again and first != other and hash(first) == hash(again)
    assert repr(first) == repr(twin("a.yaml", 1, 2, 3, 4))
    assert pickle.loads(pickle.dumps(first)) == first
    assert records.replace(first, path="b.yaml") == other == dataclasses.replace(first, path="b.yaml")
    assert dataclasses.asdict(first) == dataclasses.asdict(twin("a.yaml", 1, 2, 3, 4))
    with pytest.raises(AttributeError, match="cannot assign to field 'line'"):
        first.line = 5  # type: ignore[misc]


def test_replace_gives_what_dataclasses_replace_gives() -> None:
    from stagelint.model import Stage
    from stagelint.positions import SourcePosition
    from tests.test_model import _stage

    stage = _stage('stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.1"\n')
    changed = records.replace(stage, name=stage.api, description=stage.name, environment="prod")
    assert changed == dataclasses.replace(stage, name=stage.api, description=stage.name, environment="prod")
    assert isinstance(changed, Stage) and records.replace(stage) == stage and records.replace(stage) is not stage
    position = SourcePosition("a.yaml", 1, 2, 3, 4)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        records.replace(position, nope=1)


def test_factories_post_init_and_hidden_fields() -> None:
    from stagelint.config import Config
    from stagelint.decoders.tree import MappingNode, ScalarNode

    assert Config().severity_overrides is not Config().severity_overrides  # a new value each time
    assert Config() == Config()
    key = ScalarNode("a", None, None, "a", False)  # type: ignore[arg-type]
    node = MappingNode([(key, key)], None)  # type: ignore[arg-type]
    assert node.get("a") is key  # __post_init__ built the index
    assert "_index" not in repr(node)


@pytest.mark.parametrize("key", SHAPES)
def test_each_shape_runs_the_generated_methods(key: str) -> None:
    assert "_records" in _class(key).__init__.__code__.co_filename
