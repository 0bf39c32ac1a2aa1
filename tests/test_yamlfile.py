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


# -- hostile text: look-alike scalars, limits, top levels, files -----------------------


@pytest.mark.parametrize(
    "text",
    ["_", "-_", "0x_", "0b", "0o", "._", "0o9", "2024-13-45", "2024-02-30", "0000-01-01", "2024-01-01 25:00:00",
     "2024-01-01T10:00:00+24:00", "-.nan", "1_000.x"],
)
def test_scalars_that_only_look_like_numbers_or_dates_are_text(text):
    assert load(f"x: {text}\n")["x"] == text


@pytest.mark.parametrize(
    ("text", "value"),
    [("1_000", 1000), ("-0x1F", -31), ("0b101", 5), ("+.5", 0.5), ("1e-400", 0.0), ("2024-02-29", date(2024, 2, 29)),
     ("9" * 300, int("9" * 300))],
)
def test_numbers_and_dates_still_read(text, value):
    assert load(f"x: {text}\n")["x"] == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [("1e400", "number out of range: 1e400 (floats end near 1.8e308)"),
     ("-1e400", "number out of range: -1e400 (floats end near 1.8e308)"),
     ("9" * 5000, "number out of range: " + "9" * 39 + "… (5000 digits)"),
     ("!!float 1e999", "number out of range: 1e999 (floats end near 1.8e308)")],
)
def test_numbers_no_float_holds_are_refused_at_their_place(text, reason):
    with pytest.raises(YamlError) as raised:
        load(f"a: 1\nx: {text}\n")
    assert (raised.value.line, raised.value.column, raised.value.reason) == (2, 4, reason)


def test_dump_quotes_text_that_would_read_as_an_error():
    buffer = io.StringIO()
    yamlfile.dump({"x": "1e400", "y": "9" * 400}, buffer)
    assert load(buffer.getvalue()) == {"x": "1e400", "y": "9" * 400}


def test_aliases_are_counted_as_what_they_repeat(monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_VALUES", 40)
    text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a]\nc: [*a]\n"  # 12, 44 after b's aliases, 56 in all
    with pytest.raises(YamlError) as raised:
        load(text)
    assert (raised.value.line, raised.value.column) == (2, 13)  # b's third alias crosses 40
    assert raised.value.reason == "alias *a expands to more than 40 values (the limit per file)"
    monkeypatch.setattr(yamlfile, "MAX_VALUES", 56)
    document = load(text)
    assert document["c"][0] is document["a"] and document["b"] == [document["a"]] * 3


def test_depth_counts_through_aliases(monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_DEPTH", 5)
    assert load("a: &a [[[1]]]\nb: [*a]\n")["b"] == [[[[1]]]]  # five levels: the top mapping, b's list, three in *a
    with pytest.raises(YamlError) as raised:
        load("a: &a [[[1]]]\nb: [[*a]]\n")
    assert (raised.value.line, raised.value.column, raised.value.reason) == (2, 6, "alias *a nests values more than 5 levels deep")


def test_long_texts_are_counted_before_they_are_composed(monkeypatch):
    monkeypatch.setattr(yamlfile, "_PRESCAN_CHARS", 10)
    monkeypatch.setattr(yamlfile, "MAX_VALUES", 10)
    composed = []
    monkeypatch.setattr(yamlfile.yaml, "compose", lambda *a, **k: composed.append(a))
    with pytest.raises(YamlError) as raised:
        load("x: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n")
    assert (raised.value.line, raised.value.column) == (1, 26) and composed == []  # the 11th value: item 8


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [("- a\n", "a list", 1), ("# c\n\nhello\n", "text", 3), ("42\n", "a number", 1), ("true\n", "a boolean", 1),
     ("2024-01-01\n", "a date", 1), ("--- [a]\n", "a list", 1)],
)
def test_load_mapping_names_what_the_top_level_is(text, kind, line):
    with pytest.raises(yamlfile.NotAMapping) as raised:
        yamlfile.load_mapping(text)
    assert (raised.value.kind, raised.value.line, raised.value.column) == (kind, line, 1 + 4 * text.startswith("---"))


@pytest.mark.parametrize("text", ["", "# only\n", "---\n", "--- ~\n", "null\n", "~\n...\n"])
def test_load_mapping_reads_empty_documents_as_none(text):
    assert yamlfile.load_mapping(text) is None


def test_only_yaml_errors_leave_load():
    for text in ["x: \ud800\n", "a: 1\x00", "a: [\n", "a: 1\n\ufeffb: 2\n"]:
        with pytest.raises(YamlError):
            load(text)


def test_read_files(tmp_path):
    from kpi_engine import limits, textfile

    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbfa: 1\r\n")
    assert textfile.read(tmp_path / "bom.yaml") == "a: 1\r\n"
    (tmp_path / "latin.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(textfile.FileTextError) as raised:
        textfile.read(tmp_path / "latin.yaml")
    assert (raised.value.line, raised.value.column, raised.value.reason) == (2, 7, "file is not UTF-8 text (byte 0xe9)")
    (tmp_path / "big.yaml").write_bytes(b"#" * (limits.MAX_FILE_BYTES + 1))
    with pytest.raises(textfile.FileTextError, match="file is larger than 5 MB"):
        textfile.read(tmp_path / "big.yaml")
    with pytest.raises(textfile.FileTextError, match="cannot read the file: Is a directory"):
        textfile.read(tmp_path)
