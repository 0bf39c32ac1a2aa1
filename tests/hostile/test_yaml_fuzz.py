"""Property test: whatever a definition file holds, ``kpi_engine.load`` returns a Catalog or
raises ``DefinitionError`` whose every problem is one line starting ``path:line:col:``
(or ``path:line:``), never anything else.

hypothesis draws YAML documents: mappings, lists and scalars of every YAML kind, the odd
ones included (``_``, ``0x_``, ``2024-13-45``, ``1e400``, a 5,000-digit integer...),
anchors and aliases (recursive ones too), deep nesting, block text, random unicode and
quoted keys, placed under ``sources``/``kpis``/``dashboards`` with the keys definitions
use, or at the top level, and raw bytes. The example counts stay small so the file runs
in seconds; ``KPI_FUZZ_EXAMPLES`` raises them (e.g. 5000 in a nightly job).
"""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import kpi_engine
from kpi_engine.errors import DefinitionError
from kpi_engine.model import Catalog
from kpi_engine.parsing import (
    DASHBOARD_KEYS, KPI_KEYS, MEASURE_KEYS, SOURCE_KEYS, TARGET_RULE_KEYS, THRESHOLD_KEYS, TOP_KEYS,
)
from .loader_cases import PLUGINS

EXAMPLES = int(os.environ.get("KPI_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = sorted({*TOP_KEYS, *SOURCE_KEYS, *KPI_KEYS, *MEASURE_KEYS, *THRESHOLD_KEYS, *DASHBOARD_KEYS, *TARGET_RULE_KEYS,
               "type", "item", "limit", "override", "<<"})
NAMES = ["s", "t", "k", "orders", "d", "c", "at", "top", "month", "UTC"]
ODD = [
    "_", "0x_", "._", "0b", "-_", "+_", "2024-13-45", "1_000", "1__0", ".inf", "-.inf", "-.nan", ".NaN", "0o9", "0o17",
    "1e400", "-1e400", "1e-400", "9" * 5000, "0x" + "f" * 300, "2024-02-30", "2024-02-29", "0000-01-01",
    "2024-01-01T25:00:00", "2024-01-01 10:00:00 +25:00", "2024-01-01T10:00:00.1234567890Z", "9999-12-31T23:59:59-23:59",
    "12:30:00", "yes", "no", "on", "~", "null", "true", "False", "", "0", "-0", "+.5", "1e3", "count(*)", "sum(x)",
    "percent", "higher", "range", "x" * 3000,
]
PLAIN = re.compile(r"^[A-Za-z0-9_.+\-()*]+(?: [A-Za-z0-9_.+\-():*]+)*$")
LINE = re.compile(r"^(?P<file>[^\n]+?\.yaml):\d+(?::\d+)?: \S[^\n]*$")


@st.composite
def scalars(draw) -> str:
    kind = draw(st.sampled_from(["odd", "odd", "name", "name", "key", "text", "int", "float", "tagged"]))
    if kind == "odd":
        value = draw(st.sampled_from(ODD))
        if PLAIN.match(value) and not value.startswith(("*", "-", "+")) or value in ("-.inf", "-.nan", "-0", "-_", "+_", "+.5"):
            return value
        return "'" + value + "'"
    if kind == "name":
        return draw(st.sampled_from(NAMES))
    if kind == "key":
        return draw(st.sampled_from(KEYS)).replace("<<", "'<<'")
    if kind == "text":  # any character but C1 controls and lone surrogates, which YAML refuses (tested apart)
        return json.dumps(draw(st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)), ensure_ascii=False)
    if kind == "int":
        return str(draw(st.integers(-(10**30), 10**30)))
    if kind == "float":
        return repr(draw(st.floats(allow_nan=True, allow_infinity=True))).replace("inf", ".inf").replace("nan", ".nan")
    tag = draw(st.sampled_from(["!!str", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!custom", "!!timestamp"]))
    return f"{tag} {draw(st.sampled_from(ODD[:20] + NAMES))}"


def keys() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(KEYS + NAMES),
        st.text(st.characters(exclude_categories=("Cs",), max_codepoint=0xFFFF), max_size=12).map(json.dumps),  # quoted keys
        scalars(),
    )


# A node is ("scalar", text) | ("seq", [nodes]) | ("map", [(key, node)]) | ("alias", n) | ("deep", depth, node),
# collections with an optional anchor flag.
nodes = st.recursive(
    st.one_of(scalars().map(lambda s: ("scalar", s)), st.integers(0, 9).map(lambda n: ("alias", n))),
    lambda children: st.one_of(
        st.tuples(st.just("seq"), st.lists(children, max_size=4), st.booleans()),
        st.tuples(st.just("map"), st.lists(st.tuples(keys(), children), max_size=4), st.booleans()),
        st.tuples(st.just("deep"), st.sampled_from([1, 2, 3, 1, 2, 3, 1, 2, 60, 66]), children),
    ),
    max_leaves=12,
)


class _Writer:
    """Renders a node as flow YAML. Anchors are numbered in order; an alias names one
    already closed, or now and then one still open (a recursive value)."""

    def __init__(self) -> None:
        self.anchors = 0
        self.closed: list[int] = []

    def flow(self, node) -> str:
        kind = node[0]
        if kind == "scalar":
            return node[1]
        if kind == "alias":
            if node[1] == 0 and self.anchors:
                return f"*a{self.anchors - 1}"
            return f"*a{self.closed[node[1] % len(self.closed)]}" if self.closed else "~"
        if kind == "deep":
            return "[" * node[1] + self.flow(node[2]) + "]" * node[1]
        anchor, number = "", None
        if node[2]:
            number = self.anchors
            anchor = f"&a{number} "
            self.anchors += 1
        if kind == "seq":
            text = anchor + "[" + ", ".join(self.flow(child) for child in node[1]) + "]"
        else:
            text = anchor + "{" + ", ".join(f"{key}: {self.flow(child)}" for key, child in node[1]) + "}"
        if number is not None:
            self.closed.append(number)
        return text


def names() -> st.SearchStrategy[str]:
    return st.sampled_from(NAMES) | st.sampled_from(NAMES) | keys()


@st.composite
def documents(draw) -> str:
    """A definition file: a valid catalog with fields replaced by random values, sections of
    named entries (block style, flow values), or any node at the top."""
    writer = _Writer()
    shape = draw(st.integers(0, 4))
    if shape == 0:
        return writer.flow(draw(nodes)) + "\n"
    if shape in (1, 2):
        def mapping(base: dict[str, str], keys: tuple[str, ...], size: int) -> str:
            changed = draw(st.dictionaries(st.sampled_from(keys), nodes, max_size=size))
            fields = {**base, **{key: writer.flow(node) for key, node in changed.items()}}
            return "{" + ", ".join(f"{key}: {value}" for key, value in fields.items()) + "}"

        source = mapping({"table": "t", "time": "at", "dimensions": "[c]"}, SOURCE_KEYS, 2)
        measure = mapping({"source": "s", "expr": "count(*)"}, MEASURE_KEYS, 1)
        kpi = mapping({"value": measure}, KPI_KEYS, 3)
        dashboard = mapping({"kpis": "[k, j]"}, DASHBOARD_KEYS, 1)
        return (
            f"sources:\n  s: {source}\n"
            f"kpis:\n  k: {kpi}\n  j: {{numerator: {{source: s, expr: count(*)}}, denominator: {{source: s, expr: count(*)}}}}\n"
            f"dashboards:\n  d: {dashboard}\n"
        )
    lines = []
    for section in draw(st.lists(st.sampled_from([*TOP_KEYS, *TOP_KEYS, *TOP_KEYS, "kpi", "<<"]), max_size=4, unique=True)):
        entries = draw(st.lists(st.tuples(names(), nodes), max_size=3))
        if not entries or draw(st.integers(0, 5)) == 0:
            lines.append(f"{section}: {writer.flow(draw(nodes))}")
            continue
        lines.append(f"{section}:")
        for name, node in entries:
            if draw(st.integers(0, 5)) == 0:
                lines.append(f"  {name}: |\n    {draw(st.sampled_from(ODD))[:80]}\n    count(*)")  # block text
            else:
                lines.append(f"  {name}: {writer.flow(node)}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def assert_loads_or_one_line_problems(folder, data: bytes) -> None:
    file = folder / "a.yaml"
    file.write_bytes(data)
    try:
        catalog = kpi_engine.load(file, PLUGINS.functions, metric_types=PLUGINS.metric_types)
    except DefinitionError as error:
        assert error.problems
        event(str(error.problems[0]).split(": ", 1)[1][:45])  # what stopped it: --hypothesis-show-statistics
        for problem in error.problems:
            line = str(problem)
            found = LINE.match(line)
            assert found and found["file"] == str(file), line
            assert len(line) < 600, line
    else:
        assert isinstance(catalog, Catalog)
        event("a catalog")


@FUZZ
@given(text=documents())
def test_any_yaml_document_loads_or_is_one_line_problems(folder, text):
    assert_loads_or_one_line_problems(folder, text.encode("utf-8"))


@FUZZ
@given(data=st.binary(max_size=200) | st.text(alphabet="{}[]&*!|>-:?,'\"#%@` \n\tabc01._~\x00\ufeff", max_size=120).map(
    lambda t: t.encode("utf-8")))
def test_any_bytes_load_or_are_one_line_problems(folder, data):
    assert_loads_or_one_line_problems(folder, data)
