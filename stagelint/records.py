"""Record classes (the model's values, findings, configuration) defined without `dataclasses` at start-up.

`dataclass`, `field`, `fields` and `replace` from here are `dataclasses`' own for every reader and
for mypy (the `TYPE_CHECKING` import below). At run time, `@dataclass(...)` takes a class's methods
(`__init__`, `__repr__`, `__eq__`, `__hash__`, the frozen `__setattr__`…) from `stagelint/_records/`,
written ahead of time by `scripts/generate_records.py`, when the class's definition (field names,
which have defaults, the decorator's flags) is the one that module was generated from. Defining a
class then costs a plain class's creation (~0.006 ms) instead of `dataclasses`' source generation
and compilation (~0.4 ms a frozen class, 16–22 ms a run), and neither `dataclasses` nor `inspect`
is imported. A class whose definition changed since (a field added) is built by
`dataclasses.dataclass` instead: always correct, only slower, and `tests/test_records.py` fails
until the generated module is written again. Field types and default values are read from the class
itself, so changing those needs no regeneration.

Classes built either way answer `dataclasses.fields`, `replace` and `asdict` (`__dataclass_fields__`
is made on first use).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataclasses import FrozenInstanceError as FrozenInstanceError
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
    from dataclasses import fields as fields
    from dataclasses import is_dataclass as is_dataclass
    from dataclasses import replace as replace
else:
    __all__ = ["FrozenInstanceError", "dataclass", "field", "fields", "is_dataclass", "replace"]

# (decorator flags, fields, has __post_init__); a field: (name, kind, init, repr, compare, hash)
Definition = tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, str, bool, bool, bool, Any], ...], bool]

DEFINED: dict[str, Definition] = {}  # every record class defined so far, by "module.qualname"
FALLBACK: set[str] = set()  # those built by dataclasses.dataclass (no generated methods matched)

_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "MISSING"})()
_SUPPORTED = {"init": True, "repr": True, "eq": True, "order": False, "frozen": False, "slots": False}


class FieldSpec:
    """What `field(...)` returns at run time, and what `fields()` gives for a record class."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "name", "repr", "type")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING, init: bool = True,
                 repr: bool = True, hash: bool | None = None, compare: bool = True) -> None:
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.hash, self.compare = init, repr, hash, compare
        self.name: str = ""
        self.type: Any = None

    @property
    def kind(self) -> str:
        if self.default_factory is not _MISSING:
            return "factory"
        return "default" if self.default is not _MISSING else "required"

    def __repr__(self) -> str:
        return f"FieldSpec(name={self.name!r}, type={self.type!r}, default={self.default!r})"


if not TYPE_CHECKING:
    class FrozenInstanceError(AttributeError):
        """Assigning to a field of a frozen record (an AttributeError, as dataclasses' own is)."""

    def field(*, default: Any = _MISSING, default_factory: Any = _MISSING, init: bool = True, repr: bool = True,
              hash: bool | None = None, compare: bool = True) -> Any:
        return FieldSpec(default, default_factory, init, repr, hash, compare)

    def dataclass(cls: type | None = None, /, **flags: Any) -> Any:
        def wrap(cls: type) -> type:
            return _record(cls, flags)

        return wrap if cls is None else wrap(cls)

    def is_dataclass(obj: Any) -> bool:
        """True for a record class or instance, and for one `dataclasses` built (without importing it)."""
        cls = obj if isinstance(obj, type) else type(obj)
        return hasattr(cls, "__record_fields__") or hasattr(cls, "__dataclass_fields__")

    def fields(class_or_instance: Any) -> tuple[Any, ...]:
        specs = getattr(class_or_instance, "__record_fields__", None)
        if specs is None:
            import dataclasses

            return dataclasses.fields(class_or_instance)
        return tuple(spec for spec in specs if spec.kind != "classvar")

    def replace(obj: Any, /, **changes: Any) -> Any:
        cls = type(obj)
        plan = _REPLACE_PLANS.get(cls)
        if plan is None:
            specs = getattr(cls, "__record_fields__", None)
            if specs is None:
                import dataclasses

                return dataclasses.replace(obj, **changes)
            plan = _REPLACE_PLANS[cls] = _replace_plan(cls, specs)
        names, values_of, not_init, index = plan
        if not_init:
            for name in not_init:
                if name in changes:
                    raise ValueError(f"field {name} is declared with init=False, it cannot be specified with "
                                     "replace()")
        # Every init field read in one C call (attrgetter) and passed by position: the decoders replace
        # a stage's record several times each, and a field-by-field loop over ~50 fields (then ~50
        # keyword arguments matched by name) was most of that cost.
        if index is not None and index.keys() >= changes.keys():
            values = list(values_of(obj))
            for name, value in changes.items():
                values[index[name]] = value
            return cls(*values)
        # a name that is not a field (the constructor's own TypeError, as dataclasses'), or an
        # `__init__` of the class's own: by name
        arguments = dict(zip(names, values_of(obj), strict=True))
        arguments.update(changes)
        return cls(**arguments)

    def _replace_plan(cls: type, specs: tuple[FieldSpec, ...]
                      ) -> tuple[tuple[str, ...], Any, tuple[str, ...], dict[str, int] | None]:
        """(init fields, a function giving their values as a tuple, the fields replace() may not set,
        each init field's place among the generated `__init__`'s arguments: None for one of the class's own)."""
        from operator import attrgetter

        names = tuple(spec.name for spec in specs if spec.init)
        getter = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),)) if names \
            else (lambda obj: ())
        generated_init = getattr(cls.__init__, "__qualname__", "").startswith("_stagelint_")
        return names, getter, tuple(spec.name for spec in specs if not spec.init), \
            {name: place for place, name in enumerate(names)} if generated_init else None

    _REPLACE_PLANS: dict[type, tuple[tuple[str, ...], Any, tuple[str, ...], dict[str, int] | None]] = {}


def _flags(given: dict[str, Any]) -> tuple[tuple[str, bool], ...] | None:
    """The decorator's flags, all spelled out; None for a flag this module does not generate for."""
    if set(given) - set(_SUPPORTED):
        return None
    return tuple((name, bool(given.get(name, default))) for name, default in _SUPPORTED.items())


def _is_class_variable(annotation: str) -> bool:
    """`ClassVar[...]`, `typing.ClassVar`, `t.ClassVar`: what `dataclasses` leaves out of the fields.
    String tests, not a regular expression: every record class's every field passes through here at
    import, and compiling one costs more than all the tests together."""
    stripped = annotation.lstrip()
    for prefix in ("typing.", "t.", ""):
        if stripped.startswith(prefix + "ClassVar"):
            after = stripped[len(prefix) + len("ClassVar"):]
            if not after or not (after[0].isalnum() or after[0] == "_") or not prefix:
                return True
    return False


def _field_specs(cls: type) -> list[FieldSpec] | None:
    """The class's own fields, in order; None when it inherits fields or uses InitVar (dataclasses builds it)."""
    if any(hasattr(base, "__dataclass_fields__") or hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
        return None
    specs = []
    # The class body's own annotations (not inspect.get_annotations: importing inspect is what this avoids).
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))
        if _is_class_variable(text):
            continue
        if "InitVar" in text or "KW_ONLY" in text:
            return None
        default = cls.__dict__.get(name, _MISSING)
        spec = default if isinstance(default, FieldSpec) else FieldSpec(default)
        spec.name, spec.type = name, annotation
        specs.append(spec)
    return specs


def definition_of(flags: tuple[tuple[str, bool], ...], specs: list[FieldSpec], post_init: bool) -> Definition:
    return flags, tuple((spec.name, spec.kind, spec.init, spec.repr, spec.compare, spec.hash) for spec in specs), \
        post_init


def _record(cls: type, given: dict[str, Any]) -> type:
    key = f"{cls.__module__}.{cls.__qualname__}"
    flags, specs = _flags(given), _field_specs(cls)
    if flags is None or specs is None:
        FALLBACK.add(key)
        return _by_dataclasses(cls, given)
    definition = definition_of(flags, specs, hasattr(cls, "__post_init__"))
    DEFINED[key] = definition
    from stagelint._records import PART_OF

    part = PART_OF.get(key)
    generated = importlib.import_module(f"stagelint._records.{part}") if part is not None else None
    if generated is None or generated.DEFINITIONS.get(key) != definition:
        FALLBACK.add(key)
        return _by_dataclasses(cls, given)
    options = dict(flags)
    defaults = {spec.name: spec.default_factory if spec.kind == "factory" else spec.default for spec in specs}
    methods: dict[str, Any] = generated.METHODS[key](defaults, FrozenInstanceError)
    bind = methods.pop("__record_bind__", None)  # a frozen class with slots: its setters, once it is built
    namespace = dict(cls.__dict__)
    explicit_hash = "__hash__" in namespace and not (namespace["__hash__"] is None and "__eq__" in namespace)
    for name, method in methods.items():
        if name == "__hash__":
            if explicit_hash:
                continue
        elif name in namespace:
            continue
        namespace[name] = method
    if options["eq"] and not options["frozen"] and not explicit_hash:
        namespace["__hash__"] = None
    namespace.setdefault("__match_args__", tuple(spec.name for spec in specs if spec.init))
    namespace["__record_fields__"] = tuple(specs)
    namespace["__dataclass_fields__"] = _DataclassFields()
    if options["slots"]:
        namespace["__slots__"] = tuple(spec.name for spec in specs)
        for spec in specs:
            namespace.pop(spec.name, None)
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        built = type(cls)(cls.__name__, cls.__bases__, namespace)
        built.__qualname__ = cls.__qualname__
        if bind is not None:
            bind(built)
        return built
    for spec in specs:  # dataclasses leaves plain defaults as class attributes, and removes field() ones
        if isinstance(cls.__dict__.get(spec.name), FieldSpec):
            if spec.kind == "default":
                namespace[spec.name] = spec.default
            else:
                namespace.pop(spec.name, None)
    for name, value in namespace.items():
        if name not in ("__dict__", "__weakref__") and cls.__dict__.get(name, _MISSING) is not value:
            setattr(cls, name, value)
    for spec in specs:
        if spec.name not in namespace and spec.name in cls.__dict__:
            delattr(cls, spec.name)
    return cls


def _by_dataclasses(cls: type, given: dict[str, Any]) -> type:
    import dataclasses

    for name, value in list(cls.__dict__.items()):
        if isinstance(value, FieldSpec):
            options: dict[str, Any] = {"init": value.init, "repr": value.repr, "hash": value.hash,
                                       "compare": value.compare}
            if value.default_factory is not _MISSING:
                options["default_factory"] = value.default_factory
            elif value.default is not _MISSING:
                options["default"] = value.default
            setattr(cls, name, dataclasses.field(**options))
    return dataclasses.dataclass(cls, **given)


class _DataclassFields:
    """`__dataclass_fields__` of a generated record, made on first use (it needs `dataclasses`)."""

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        import dataclasses

        made: dict[str, Any] = {}
        for spec in owner.__record_fields__:  # type: ignore[attr-defined]
            options: dict[str, Any] = {"init": spec.init, "repr": spec.repr, "hash": spec.hash,
                                       "compare": spec.compare}
            if spec.kind == "factory":
                options["default_factory"] = spec.default_factory
            elif spec.kind == "default":
                options["default"] = spec.default
            item = dataclasses.field(**options)
            item.name, item.type = spec.name, spec.type
            item._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
            made[spec.name] = item
        type.__setattr__(owner, "__dataclass_fields__", made)
        return made
