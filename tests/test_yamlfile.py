"""The YAML reader: YAML 1.2 values, positions of keys, values and items, refusals."""

from __future__ import annotations

import io
import math
from datetime import date, datetime, timezone

import pytest

from kpi_engine import yamlfile
from kpi_engine.yamlfile import BlockText, YamlError, load

TEXT = """\
kpis:
  a: yes
  b: 0o17
  c: 1e3
  d: !!str 12
  e: "12"
  f: 2025-01-31
  g: 2025-01-31T08:00:00+02:00
  h: ~
  i: [1, two, .nan]
  j: |
    select 1
    from t
  k: on
"""


def test_scalars_follow_yaml_1_2():
    kpis = load(TEXT)["kpis"]
    assert kpis["a"] == "yes" and kpis["k"] == "on"  # YAML 1.1 would say True
    assert kpis["b"] == 15 and kpis["c"] == 1000.0 and isinstance(kpis["c"], float)
    assert kpis["d"] == "12" and kpis["e"] == "12"
    assert kpis["f"] == date(2025, 1, 31)
    assert kpis["g"] == datetime(2025, 1, 31, 6, 0, tzinfo=timezone.utc)
    assert kpis["h"] is None
    assert kpis["i"][:2] == [1, "two"] and math.isnan(kpis["i"][2])
    assert isinstance(kpis["j"], BlockText) and kpis["j"] == "select 1\nfrom t\n"


def test_positions_of_keys_values_and_items():
    document = load(TEXT)
    kpis = document["kpis"]
    assert document.lc.key("kpis") == (0, 0)
    assert kpis.lc.key("c") == (3, 2) and kpis.lc.value("c") == (3, 5)
    assert kpis["i"].lc.item(1) == (9, 9)
    assert kpis.lc.value("j") == (10, 5)  # a block scalar's mark is its indicator


def test_merge_keys_and_aliases():
    document = load("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nn: *b\n")
    assert document["m"] == {"x": 1, "y": 3}
    assert document["n"] is document["base"]
    assert document["m"].lc.key("y") == (3, 2)


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)"),
        ("kpis:\n  a: [unclosed\n", 3, 1, "expected ',' or ']'"),
        ("x: !!int abc\n", 1, 4, "'abc' is not a valid int"),
        ("x: !custom 1\n", 1, 4, "unsupported tag !custom"),
        ("? [a, b]\n: 1\n", 1, 3, "a mapping key must be a scalar"),
    ],
)
def test_problems_carry_their_position(text, line, column, reason):
    with pytest.raises(YamlError) as raised:
        load(text)
    assert (raised.value.line, raised.value.column) == (line, column)
    assert reason in raised.value.reason


def test_empty_document_is_none():
    assert load("") is None and load("# only a comment\n") is None


def test_dump_reads_back_equal():
    data = {"a": "0o17", "b": "yes", "c": "1e3", "d": "plain", "e": 5, "f": ["x", "2025-01-01"], "g": "two\nlines"}
    buffer = io.StringIO()
    yamlfile.dump(data, buffer)
    assert load(buffer.getvalue()) == data
