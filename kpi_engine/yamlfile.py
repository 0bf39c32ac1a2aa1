"""Reading definition and project files: YAML 1.2 values that remember where they were written.

libyaml (through PyYAML's C parser) builds the node graph; this module turns it into
plain values, YAML 1.2 core schema as ruamel's round-trip loader reads it (``yes``,
``on`` and ``0777`` stay text and octal-free; dates become ``date``/``datetime``),
with the 0-based line and column of every mapping key and value and every list item
in ``.lc``, so the loader can name the line of any problem. libyaml composes a file
about 15 times faster than a pure-Python parser, which ``kpi run`` pays on every start.

Duplicate keys are refused (a definition silently replaced is a bug), merge keys
(``<<: *base``) are applied, and aliases share their value.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

import yaml

try:  # libyaml's C parser ships in PyYAML's wheels; the pure-Python one is the fallback
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

__all__ = ["BlockText", "YamlError", "YamlMap", "YamlSeq", "dump", "load"]

_STR = "tag:yaml.org,2002:str"
_PLAIN = "!kpi-engine/plain"  # an untagged plain scalar: resolved here, by YAML 1.2
_EXPLICIT = {
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": bool,
    "tag:yaml.org,2002:null": type(None),
}
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_TIMESTAMP = re.compile(
    r"""^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})
    (?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::?([0-9]{2}))?))?$""",
    re.X,
)


class _Loader(_SafeLoader):
    """Leaves untagged plain scalars to :func:`_plain`: PyYAML resolves them by YAML 1.1
    (``yes`` a boolean, ``0777`` octal), and an explicit ``!!str`` must stay text."""

    def resolve(self, kind, value, implicit):  # noqa: ANN001 - PyYAML's signature
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


class YamlError(Exception):
    """Text that is not valid YAML (or not for definitions); ``line``/``column`` are 1-based."""

    def __init__(self, reason: str, line: int = 1, column: int = 1):
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column


class Positions:
    """Where a mapping's keys and values, or a list's items, were written (0-based ``(line, col)``)."""

    __slots__ = ("line", "col", "_keys", "_values")

    def __init__(self, node: yaml.Node):
        self.line, self.col = node.start_mark.line, node.start_mark.column
        self._keys: dict[Any, tuple[int, int]] = {}
        self._values: dict[Any, tuple[int, int]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        return self._keys[key]

    def value(self, key: Any) -> tuple[int, int]:
        return self._values[key]

    def item(self, index: int) -> tuple[int, int]:
        return self._values[index]


class YamlMap(dict):
    """A mapping, in file order, with ``lc``: :class:`Positions` of its keys and values."""

    __slots__ = ("lc",)


class YamlSeq(list):
    """A list with ``lc``: :class:`Positions` of its items."""

    __slots__ = ("lc",)


class BlockText(str):
    """Text written as a block scalar (``|`` or ``>``): its mark is the indicator's, the text starts a line below."""

    __slots__ = ()


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line, node.start_mark.column


def _fail(reason: str, node: yaml.Node) -> YamlError:
    return YamlError(reason, node.start_mark.line + 1, node.start_mark.column + 1)


def _timestamp(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second, fraction, zone, sign, zone_hours, zone_minutes = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz = None
    if zone == "Z":
        tz = timezone.utc
    elif zone:
        delta = timedelta(hours=int(zone_hours), minutes=int(zone_minutes or 0))
        tz = timezone(-delta if sign == "-" else delta)
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=tz)


def _plain(text: str) -> Any:
    """A plain (unquoted, untagged) scalar by the YAML 1.2 core schema, plus dates."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text[0] in "tT"
    if _INT.match(text):
        digits = text.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
            if digits.startswith(prefix):
                return sign * int(digits[2:], base)
        return sign * int(digits)
    if _FLOAT.match(text):
        lowered = text.replace("_", "").lower()
        if lowered.endswith("nan"):
            return float("nan")
        if lowered.endswith("inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        return float(lowered)
    found = _DATE.match(text)
    if found:
        return date(*map(int, found.groups()))
    found = _TIMESTAMP.match(text)
    if found:
        return _timestamp(found)
    return text


class _Builder:
    def __init__(self) -> None:
        self.built: dict[int, Any] = {}  # node id -> value: aliases share their value

    def value(self, node: yaml.Node) -> Any:
        known = self.built.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            items = YamlSeq()
            items.lc = Positions(node)
            self.built[id(node)] = items
            for index, child in enumerate(node.value):
                items.lc._values[index] = _mark(child)
                items.append(self.value(child))
            return items
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        raise _fail(f"unsupported YAML node {type(node).__name__}", node)  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _PLAIN:
            return _plain(text)
        if tag == _STR:  # quoted, block, or written as !!str
            return BlockText(text) if node.style in ("|", ">") else text
        explicit = _EXPLICIT.get(tag)
        if explicit is None:
            raise _fail(f"unsupported tag {tag}", node)
        value = _plain(text)
        if not isinstance(value, explicit) or (explicit is int and isinstance(value, bool)):
            raise _fail(f"'{text}' is not a valid {tag.rsplit(':', 1)[-1]}", node)
        return value

    def mapping(self, node: yaml.MappingNode) -> YamlMap:
        result = YamlMap()
        result.lc = Positions(node)
        self.built[id(node)] = result
        merged: list[tuple[Any, Any, tuple[int, int], tuple[int, int]]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN and key_node.value == "<<":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    base = self.value(source)
                    if not isinstance(base, YamlMap):
                        raise _fail("a merge key (<<) needs a mapping or a list of mappings", source)
                    for key, value in base.items():
                        merged.append((key, value, base.lc.key(key), base.lc.value(key)))
                continue
            key = self.value(key_node)
            if isinstance(key, (YamlMap, YamlSeq)):
                raise _fail("a mapping key must be a scalar", key_node)
            if key in result:
                line, col = result.lc.key(key)
                raise _fail(f"duplicate key '{key}' (first at line {line + 1})", key_node)
            result.lc._keys[key] = _mark(key_node)
            result.lc._values[key] = _mark(value_node)
            result[key] = self.value(value_node)
        for key, value, key_at, value_at in merged:  # explicit keys win over merged ones
            if key not in result:
                result[key], result.lc._keys[key], result.lc._values[key] = value, key_at, value_at
        return result


def load(text: str) -> Any:
    """The single document in ``text`` as plain values (``None`` for an empty document).

    Raises :class:`YamlError` with the 1-based line and column of the problem.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(str(p).strip() for p in (error.context, error.problem) if p) or "invalid YAML"
        raise YamlError(reason, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error).splitlines()[0] if str(error) else "invalid YAML") from None
    if node is None:
        return None
    return _Builder().value(node)


try:
    from yaml import CSafeDumper as _SafeDumper
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]


class _Dumper(_SafeDumper):
    """Quotes every text that :func:`load` would read as something else (PyYAML decides by YAML 1.1)."""


def _text(dumper: yaml.Dumper, value: str) -> yaml.ScalarNode:
    style = "'" if _plain(value) != value or not isinstance(_plain(value), str) else None
    return dumper.represent_scalar(_STR, value, style=style)


_Dumper.add_representer(str, _text)


def dump(data: Any, stream) -> None:
    """Plain ``data`` (dicts, lists, scalars) as YAML text on ``stream``, keys in their order;
    :func:`load` reads it back equal."""
    yaml.dump(data, stream, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
