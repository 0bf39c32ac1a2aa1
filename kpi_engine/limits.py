"""Fixed limits on what one definition or project file may hold.

Each keeps hostile or accidental input cheap to refuse; a refusal names the file and
line. Definitions need far less: the biggest shipped file is 9 kB with about 1,000
values, a generated 2,000-KPI file 0.35 MB with about 40,000, nested 6 levels deep.
"""

from __future__ import annotations

#: Largest definition or project file read, in bytes.
MAX_FILE_BYTES = 5_000_000
#: Most values (scalars, lists, mappings) one YAML document may hold, each alias
#: counted as everything it repeats: a "billion laughs" bomb is refused at its alias.
MAX_VALUES = 250_000
#: Deepest nesting of YAML lists and mappings, aliases expanded.
MAX_DEPTH = 64
