"""Reading definition and project files: YAML 1.2 values that remember where they were written.

libyaml (through PyYAML's C parser) builds the node graph; this module turns it into
plain values, YAML 1.2 core schema as ruamel's round-trip loader reads it (``yes``,
``on`` and ``0777`` stay text and octal-free; dates become ``date``/``datetime``),
with the 0-based line and column of every mapping key and value and every list item
in ``.lc``, so the loader can name the line of any problem. libyaml composes a file
about 15 times faster than a pure-Python parser, which ``kpi run`` pays on every start.

Duplicate keys are refused (a definition silently replaced is a bug), merge keys
(``<<: *base``) are applied, and aliases share their value.

Hostile text costs little and raises nothing but :class:`YamlError`. Before anything is
built, one pass over libyaml's events counts the values the document would hold with
every alias expanded, so a "billion laughs" bomb is refused at the alias that crosses
the limit; the same pass refuses nesting too deep and an alias inside the node it names
(limits in :mod:`kpi_engine.limits`). A plain
scalar that only looks like a number or a date (``_``, ``0x_``, ``2024-13-45``) is text;
a number no float can hold (``1e400``, a 5,000-digit integer) is an error at its line.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any

import yaml

from .limits import MAX_DEPTH, MAX_VALUES

try:  # libyaml's C parser ships in PyYAML's wheels; the pure-Python one is the fallback
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

__all__ = ["BlockText", "NotAMapping", "YamlError", "YamlMap", "YamlSeq", "dump", "load", "load_mapping", "shorten"]

_STR = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = {yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}
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
_FLOAT_MAX = sys.float_info.max
_PRESCAN_CHARS = 256_000  # longer texts are counted before composing (a 2,000-KPI file has 340,000)
_MAX_DIGITS = 330  # more decimal digits than any float holds: refused before int() reads them
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


class NotAMapping(YamlError):
    """:func:`load_mapping` found another kind of document; ``kind`` says which (``a list``, ``text``...)."""

    def __init__(self, kind: str, line: int, column: int):
        super().__init__(f"the top level is {kind}, not a mapping", line, column)
        self.kind = kind


class _NotANumber(ValueError):
    """A plain scalar written as a number that no float can hold."""


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


def _fail(reason: str, node: yaml.Node | yaml.Event) -> YamlError:
    return YamlError(reason, node.start_mark.line + 1, node.start_mark.column + 1)


def shorten(text: Any, limit: int = 40) -> str:
    """``text`` for a one-line message: at most ``limit`` characters, one line."""
    shown = str(text).replace("\n", " ")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


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
    """A plain (unquoted, untagged) scalar by the YAML 1.2 core schema, plus dates.

    Text that matches a number or date pattern but is none (``_``, ``0x_``, ``._``,
    ``2024-13-45``, a timestamp out of range) stays text. Raises :class:`_NotANumber`
    for a number no float can hold.
    """
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text[0] in "tT"
    if _INT.match(text):
        return _integer(text)
    if _FLOAT.match(text):
        lowered = text.replace("_", "").lower()
        if lowered.endswith("nan"):
            return float("nan")
        if lowered.endswith("inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        try:
            value = float(lowered)
        except ValueError:  # no digit at all, e.g. '._'
            return text
        if value in (float("inf"), float("-inf")):
            raise _NotANumber(f"number out of range: {shorten(text)} (floats end near 1.8e308)")
        return value
    try:
        found = _DATE.match(text)
        if found:
            return date(*map(int, found.groups()))
        found = _TIMESTAMP.match(text)
        if found:
            return _timestamp(found)
    except (ValueError, OverflowError):  # 2024-13-45, hour 25, an offset of a day or more: text
        return text
    return text


def _integer(text: str) -> Any:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2], 10)
    if base != 10:
        digits = digits[2:]
    if not digits:  # '_', '0x_', '-_': no digit at all
        return text
    if base == 10 and len(digits.lstrip("0")) > _MAX_DIGITS:
        raise _NotANumber(f"number out of range: {shorten(text)} ({len(digits)} digits)")
    value = sign * int(digits, base)
    if abs(value) > _FLOAT_MAX:
        raise _NotANumber(f"number out of range: {shorten(text)} (numbers end near 1.8e308)")
    return value


class _Builder:
    """Plain values from a composed node graph, counting what they hold with aliases expanded.

    An alias shares the value it names, so a bomb costs nothing to build, but a reader
    walking the values would expand it: each alias adds the count and height of its
    value, and crossing a limit is refused at the alias (:func:`_check_size` on ``text``
    finds its exact place: the graph only knows where the anchor was).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.built: dict[int, Any] = {}  # node id -> value: aliases share their value
        self.shape: dict[int, tuple[int, int]] = {}  # id of a finished list or mapping -> (values, height)
        self.total = 0

    def refuse(self, reason: str, node: yaml.Node) -> YamlError:
        try:
            _check_size(self.text)  # raises at the alias itself
        except yaml.YAMLError:  # pragma: no cover - the text composed, so its events parse
            pass
        return _fail(reason, node)  # where the anchor is: the two counts differ by merge keys only

    def count(self, values: int, node: yaml.Node) -> None:
        self.total += values
        if self.total > MAX_VALUES:
            raise self.refuse(f"the file grows to more than {MAX_VALUES:,} values (the limit per file)", node)

    def value(self, node: yaml.Node, depth: int = 1) -> Any:
        known = self.built.get(id(node))
        if known is not None:  # an alias
            shape = self.shape.get(id(node))
            if shape is None:
                raise self.refuse("an alias is inside the node it names (a recursive value)", node)
            if depth + shape[1] - 1 > MAX_DEPTH:
                raise self.refuse(f"nested more than {MAX_DEPTH} levels deep", node)
            self.count(shape[0], node)
            return known
        if isinstance(node, yaml.ScalarNode):
            self.total += 1  # inline: this runs for every value of every file
            if self.total > MAX_VALUES:
                self.count(0, node)
            return self.scalar(node)
        if node.tag != _COLLECTION_TAGS.get(type(node)):
            raise _fail(f"unsupported tag {shorten(node.tag)}", node)
        if depth > MAX_DEPTH:
            raise self.refuse(f"nested more than {MAX_DEPTH} levels deep", node)
        start = self.total
        self.count(1, node)
        if isinstance(node, yaml.SequenceNode):
            items = YamlSeq()
            items.lc = Positions(node)
            self.built[id(node)] = items
            height, shapes = 0, self.shape
            for index, child in enumerate(node.value):
                items.lc._values[index] = _mark(child)
                items.append(self.value(child, depth + 1))
                shape = shapes.get(id(child))
                if shape is not None and shape[1] > height:
                    height = shape[1]
            result: Any = items
        else:
            result, height = self.mapping(node, depth)
        self.shape[id(node)] = (self.total - start, height + 1)
        return result

    def height(self, node: yaml.Node) -> int:
        shape = self.shape.get(id(node))
        return 0 if shape is None else shape[1]

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:  # quoted, block, or written as !!str
            return BlockText(text) if node.style in ("|", ">") else text
        explicit = _EXPLICIT.get(tag)
        if explicit is None and tag != _PLAIN:
            raise _fail(f"unsupported tag {shorten(tag)}", node)
        try:
            value = _plain(text)
        except _NotANumber as error:
            raise _fail(str(error), node) from None
        if explicit is not None and (not isinstance(value, explicit) or (explicit is int and isinstance(value, bool))):
            raise _fail(f"'{shorten(text)}' is not a valid {tag.rsplit(':', 1)[-1]}", node)
        return value

    def mapping(self, node: yaml.MappingNode, depth: int) -> tuple[YamlMap, int]:
        """The mapping and the height of its tallest value."""
        result = YamlMap()
        result.lc = Positions(node)
        self.built[id(node)] = result
        merged: list[tuple[Any, Any, tuple[int, int], tuple[int, int]]] = []
        height = 0
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN and key_node.value == "<<":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    base = self.value(source, depth)
                    height = max(height, self.height(source) - 1)
                    if not isinstance(base, YamlMap):
                        raise _fail("a merge key (<<) needs a mapping or a list of mappings", source)
                    for key, value in base.items():
                        merged.append((key, value, base.lc.key(key), base.lc.value(key)))
                continue
            key = self.value(key_node, depth + 1)
            if isinstance(key, (YamlMap, YamlSeq)):
                raise _fail("a mapping key must be a scalar", key_node)
            if key in result:
                line, col = result.lc.key(key)
                raise _fail(f"duplicate key '{shorten(key)}' (first at line {line + 1})", key_node)
            result.lc._keys[key] = _mark(key_node)
            result.lc._values[key] = _mark(value_node)
            result[key] = self.value(value_node, depth + 1)
            shape = self.shape.get(id(value_node))
            if shape is not None and shape[1] > height:
                height = shape[1]
        for key, value, key_at, value_at in merged:  # explicit keys win over merged ones
            if key not in result:
                result[key], result.lc._keys[key], result.lc._values[key] = value, key_at, value_at
        return result, height


def load(text: str) -> Any:
    """The single document in ``text`` as plain values (``None`` for an empty document).

    Raises :class:`YamlError` with the 1-based line and column of the problem, and no
    other exception, whatever the text.
    """
    node = _compose(text)
    return None if node is None else _Builder(text).value(node)


def load_mapping(text: str) -> YamlMap | None:
    """Like :func:`load`, for a document that must be a mapping or nothing (empty, only
    comments, ``---``, ``null`` or ``~``: ``None``).

    Raises :class:`NotAMapping` at the document's first value otherwise.
    """
    node = _compose(text)
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        return _Builder(text).value(node)
    value = _Builder(text).value(node) if isinstance(node, yaml.ScalarNode) else []
    if value is None:
        return None
    kind = "a list" if isinstance(value, list) else "a number" if isinstance(value, (int, float)) else "text"
    if isinstance(value, (bool, date)):
        kind = "a boolean" if isinstance(value, bool) else "a date"
    line, column = _mark(node)
    raise NotAMapping(kind, line + 1, column + 1)


def _compose(text: str) -> yaml.Node | None:
    try:
        if len(text) > _PRESCAN_CHARS:  # composing it whole could cost seconds and a GB: count first
            _check_size(text)
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(str(p).strip() for p in (error.context, error.problem) if p) or "invalid YAML"
        raise YamlError(reason, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (NUL, other controls)
        raise YamlError(f"unacceptable character #x{error.character:04x}: {error.reason}", *_place(text, error.position)) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error).splitlines()[0] if str(error) else "invalid YAML") from None
    except UnicodeError:  # a lone surrogate in text handed over from Python
        raise YamlError("text is not valid Unicode") from None


def _place(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset`` of ``text`` in UTF-8 (libyaml's reader counts bytes)."""
    data = text.encode("utf-8", "surrogatepass")
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", "replace")) + 1


def _check_size(text: str) -> None:
    """Refuse a document too big, too deep or recursive once its aliases are expanded.

    One pass over libyaml's events, counting what :class:`_Builder` would: each alias
    counts the values and the height of the node it names, so a bomb is refused at the
    alias that crosses the limit, and a huge file after :data:`MAX_VALUES` events,
    before any node is built. Events cost about what composing does, so this runs only
    for long texts and to place an error the builder found.
    """
    loader = _Loader(text)
    try:
        anchors: dict[str, Any] = {}  # anchor -> [values, height] while open, then (values, height)
        stack: list[list[Any]] = []  # open lists and mappings: [values, height, anchor]
        total = 0
        check, get = loader.check_event, loader.get_event
        while check():
            event = get()
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                values, height = 1, 0
                if kind is yaml.AliasEvent:
                    named = anchors.get(event.anchor, (1, 0))  # an unknown anchor: compose says so
                    if isinstance(named, list):
                        raise _fail(f"alias *{shorten(event.anchor)} is inside the node it names (a recursive value)", event)
                    values, height = named
                    if len(stack) + height > MAX_DEPTH:
                        raise _fail(f"alias *{shorten(event.anchor)} nests values more than {MAX_DEPTH} levels deep", event)
                elif event.anchor is not None:
                    anchors[event.anchor] = (1, 0)
                total += values
                if total > MAX_VALUES:
                    what = f"alias *{shorten(event.anchor)} expands" if kind is yaml.AliasEvent else "the file grows"
                    raise _fail(f"{what} to more than {MAX_VALUES:,} values (the limit per file)", event)
                if stack:
                    top = stack[-1]
                    top[0] += values
                    top[1] = max(top[1], height + 1)
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise _fail(f"nested more than {MAX_DEPTH} levels deep", event)
                total += 1
                if total > MAX_VALUES:
                    raise _fail(f"the file grows to more than {MAX_VALUES:,} values (the limit per file)", event)
                frame = [1, 1, event.anchor]
                if event.anchor is not None:
                    anchors[event.anchor] = frame
                stack.append(frame)
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                frame = stack.pop()
                values, height, anchor = frame
                if anchor is not None and anchors.get(anchor) is frame:
                    anchors[anchor] = (values, height)
                if stack:
                    top = stack[-1]
                    top[0] += values
                    top[1] = max(top[1], height + 1)
    finally:
        loader.dispose()


try:
    from yaml import CSafeDumper as _SafeDumper
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]


class _Dumper(_SafeDumper):
    """Quotes every text that :func:`load` would read as something else (PyYAML decides by YAML 1.1)."""


def _text(dumper: yaml.Dumper, value: str) -> yaml.ScalarNode:
    try:
        plain = _plain(value)
    except _NotANumber:
        plain = None
    style = "'" if plain != value or not isinstance(plain, str) else None
    return dumper.represent_scalar(_STR, value, style=style)


_Dumper.add_representer(str, _text)


def dump(data: Any, stream) -> None:
    """Plain ``data`` (dicts, lists, scalars) as YAML text on ``stream``, keys in their order;
    :func:`load` reads it back equal."""
    yaml.dump(data, stream, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
