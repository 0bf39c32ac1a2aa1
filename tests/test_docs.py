"""The hook reference in docs/plugin_hooks.md matches kpi_engine.hookspecs (datasette's docs test).

Every hook specification has a section titled with its exact signature, no section
names a hook that does not exist, every hook has a docstring, and the examples marked
``<!-- source: PATH -->`` (here and in CONTRIBUTING.md) are copied verbatim from the
file they name, so the docs show code that runs and is tested.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pluggy
import pytest

from kpi_engine import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "plugin_hooks.md"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
HOOK_IN_HEADING = re.compile(r"\b(kpi_\w+)")
FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
SOURCE_BLOCK = re.compile(r"<!--\s*source:\s*(\S+)\s*-->\s*\n```\w*\n(.*?)\n```", re.DOTALL)


def hookspec_functions() -> dict[str, object]:
    """Functions of kpi_engine.hookspecs whose names start with ``kpi_``."""
    return {
        name: obj
        for name, obj in vars(hookspecs).items()
        if name.startswith("kpi_") and inspect.isfunction(obj)
    }


def signature(function) -> str:
    """``kpi_register_adapters() -> Iterable[AdapterSpec]``, as the heading spells it."""
    # Annotations are strings (from __future__ import annotations); drop the quotes.
    return f"{function.__name__}{inspect.signature(function)}".replace("'", "")


def hook_headings() -> dict[str, str]:
    """Hook name -> full heading text, for every heading that names a ``kpi_...`` hook."""
    found: dict[str, str] = {}
    prose = FENCED.sub("", DOC.read_text(encoding="utf-8"))  # a "# comment" in code is no heading
    for level, text in HEADING.findall(prose):
        for name in HOOK_IN_HEADING.findall(text):
            assert name not in found, f"docs/plugin_hooks.md has two sections for {name}"
            assert level == "##", f"docs/plugin_hooks.md: the section for {name} should be a '##' heading"
            found[name] = text
    return found


def test_there_are_hooks_to_document():
    assert hookspec_functions(), "no kpi_* functions found in kpi_engine.hookspecs"


def test_every_kpi_function_in_hookspecs_is_a_registered_hookspec():
    pm = pluggy.PluginManager("kpi_engine")
    pm.add_hookspecs(hookspecs)
    registered = {name for name in vars(pm.hook) if name.startswith("kpi_")}
    assert registered == set(hookspec_functions())


@pytest.mark.parametrize("name", sorted(hookspec_functions()))
def test_hook_is_documented_with_its_exact_signature(name):
    headings = hook_headings()
    assert name in headings, f"docs/plugin_hooks.md has no section for the hook {name}"
    expected = signature(hookspec_functions()[name])
    assert headings[name] == expected, f"docs/plugin_hooks.md: the section '{headings[name]}' should be titled '{expected}'"


def test_documented_hooks_exist():
    unknown = set(hook_headings()) - set(hookspec_functions())
    assert not unknown, f"docs/plugin_hooks.md documents hooks that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(hookspec_functions()))
def test_hook_has_a_docstring(name):
    doc = inspect.getdoc(hookspec_functions()[name])
    assert doc and doc.strip(), f"hookspec {name} has no docstring"
    assert ".. versionadded::" in doc, f"hookspec {name}'s docstring does not say when it was added"


@pytest.mark.parametrize("doc", [DOC, ROOT / "CONTRIBUTING.md"], ids=lambda p: p.name)
def test_examples_are_copied_from_the_files_they_name(doc):
    blocks = SOURCE_BLOCK.findall(doc.read_text(encoding="utf-8"))
    assert blocks, f"{doc.name} has no examples marked <!-- source: PATH -->"
    for path, code in blocks:
        source = ROOT / path
        assert source.is_file(), f"{doc.name} cites {path}, which does not exist"
        assert code in source.read_text(encoding="utf-8"), (
            f"an example in {doc.name} is no longer a verbatim copy of {path}:\n{code}"
        )
