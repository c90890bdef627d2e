"""scripts/mutants.py: which slips it makes, and where it leaves the code alone."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutants", SCRIPTS / "mutants.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutants"] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


mutants = _load()

SOURCE = '''"""A module docstring."""

LIMIT = 31
__all__ = ["at_most"]


def at_most(count: int, limit: int = LIMIT) -> bool:
    """A function docstring."""
    if count < 0 or not limit:
        raise ValueError(f"count {count} is negative")
    return count <= limit


class Header:
    """A class docstring."""

    size: int = 8

    def padded(self, text: str) -> str:
        return text.ljust(self.size)  # pragma: no mutate (an example of the marker)
'''


def _changes() -> list[tuple[int, str, str, str, str]]:
    return [
        (m.site.line, m.site.kind, m.site.scope, m.before, m.after)
        for m in mutants.list_mutants(SOURCE)
    ]


def test_each_operator_makes_its_slip() -> None:
    assert sorted(_changes()) == sorted(
        [
            (3, "module", "", "31", "32"),
            (9, "function", "at_most", "count < 0", "count <= 0"),
            (9, "function", "at_most", "0", "1"),
            (9, "function", "at_most", "not limit", "limit"),
            (9, "function", "at_most", "count < 0 or not limit", "count < 0 and (not limit)"),
            (
                10,
                "function",
                "at_most",
                "ValueError(f'count {count} is negative')",
                "ValueError()",
            ),
            (
                10,
                "function",
                "at_most",
                "raise ValueError(f'count {count} is negative')",
                "(left out)",
            ),
            (11, "function", "at_most", "count <= limit", "count < limit"),
            (11, "function", "at_most", "return count <= limit", "return None"),
        ]
    )


def test_defaults_are_mutated_where_they_are_evaluated() -> None:
    source = "def greet(name='you', *, times=2):\n    return name * times\n"
    kinds = [(m.site.kind, m.before, m.after) for m in mutants.list_mutants(source)]
    assert ("defaults", "'you'", "'XXyouXX'") in kinds
    assert ("defaults", "2", "3") in kinds
    assert ("function", "name * times", "name / times") in kinds


def test_a_mutated_tree_differs_from_the_module_in_that_one_place_only() -> None:
    original = ast.unparse(ast.parse(SOURCE)).splitlines()
    for number, change in enumerate(_changes()):
        mutated = ast.unparse(mutants.mutated_tree(SOURCE, number)).splitlines()
        differing = [(a, b) for a, b in zip(original, mutated, strict=False) if a != b]
        assert differing, change
        assert change[3] in differing[0][0]
        compile(mutants.mutated_tree(SOURCE, number), "module.py", "exec")


def test_a_decorated_function_is_known_by_its_first_decorator_line() -> None:
    source = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x + 1\n"
    [*_, last] = mutants.list_mutants(source)
    assert (last.site.scope, last.site.first_line) == ("f", 4)
    assert compile(source, "m", "exec").co_consts[2].co_firstlineno == 4
