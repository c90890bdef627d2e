"""The mutants of one Python module: one small slip of the hand each.

Each mutant changes one node of the module's syntax tree, with operators in the spirit of
mutmut's: a comparison or arithmetic operator swapped (`<` for `<=`, `|` for `&`), `and` for
`or`, `not` dropped, a number off by one, a string garbled, True for False, a call's argument
left out, `min` for `max`, a returned or assigned value replaced by None, a call statement or
a `raise` left out, `break` for `continue`.

Docstrings, annotations, decorators, imports, `__all__` and the bodies of classes (other than
their methods) are not mutated, nor any line marked `# pragma: no mutate` (say why beside it).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, cast

PRAGMA = "pragma: no mutate"
Kind = Literal["function", "defaults", "module"]

COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
OPERATOR_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Div,
    ast.Pow: ast.Mult,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.BitXor: ast.BitOr,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
}
NAME_SWAPS = {"all": "any", "any": "all", "min": "max", "max": "min"}
METHOD_SWAPS = {
    "lower": "upper",
    "upper": "lower",
    "lstrip": "rstrip",
    "rstrip": "lstrip",
    "startswith": "endswith",
    "endswith": "startswith",
    "find": "rfind",
    "rfind": "find",
    "split": "rsplit",
    "rsplit": "split",
    "ljust": "rjust",
    "rjust": "ljust",
    "removeprefix": "removesuffix",
    "removesuffix": "removeprefix",
}


@dataclass(frozen=True)
class Site:
    """Where a mutant is: the line, and the function (or module statement) it changes."""

    line: int
    kind: Kind
    scope: str  # qualified name of the top-level function or method; "" at module level
    first_line: int  # the scope's first line as its code object has it (decorators included)
    statement: int  # index of the top-level statement that holds it


@dataclass(frozen=True)
class Mutant:
    number: int
    site: Site
    before: str
    after: str

    def describe(self) -> str:
        where = self.site.scope or "module"
        return f"{where}: `{self.before}` -> `{self.after}`"


def _swapped_compare(node: ast.Compare) -> Iterator[ast.AST]:
    for i, op in enumerate(node.ops):
        if type(op) in COMPARE_SWAPS:
            new = copy.copy(node)
            new.ops = [*node.ops[:i], COMPARE_SWAPS[type(op)](), *node.ops[i + 1 :]]
            yield new


def _constant(node: ast.Constant) -> Iterator[ast.AST]:
    value = node.value
    if isinstance(value, bool):
        yield ast.Constant(not value)
    elif isinstance(value, int | float):
        yield ast.Constant(value + 1)
    elif isinstance(value, str):
        yield ast.Constant(f"XX{value}XX")


def _call(node: ast.Call) -> Iterator[ast.AST]:
    func = node.func
    if isinstance(func, ast.Name) and func.id in NAME_SWAPS:
        yield ast.Call(ast.Name(NAME_SWAPS[func.id], ast.Load()), node.args, node.keywords)
    if isinstance(func, ast.Attribute) and func.attr in METHOD_SWAPS:
        swapped = ast.Attribute(func.value, METHOD_SWAPS[func.attr], ast.Load())
        yield ast.Call(swapped, node.args, node.keywords)
    for i in range(len(node.args)):
        if not isinstance(node.args[i], ast.Starred):
            yield ast.Call(func, [*node.args[:i], *node.args[i + 1 :]], node.keywords)
    for i in range(len(node.keywords)):
        if node.keywords[i].arg is not None:
            yield ast.Call(func, node.args, [*node.keywords[:i], *node.keywords[i + 1 :]])


def _expression(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, ast.Compare):
        yield from _swapped_compare(node)
    elif isinstance(node, ast.BoolOp):
        yield ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
    elif isinstance(node, ast.BinOp) and type(node.op) in OPERATOR_SWAPS:
        yield ast.BinOp(node.left, OPERATOR_SWAPS[type(node.op)](), node.right)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        yield node.operand
    elif isinstance(node, ast.Constant):
        yield from _constant(node)
    elif isinstance(node, ast.Call):
        yield from _call(node)
    elif isinstance(node, ast.Lambda) and not _is_none(node.body):
        yield ast.Lambda(node.args, ast.Constant(None))


def _is_call_statement(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _statement(node: ast.AST, in_function: bool) -> Iterator[ast.AST | None]:
    if isinstance(node, ast.AugAssign) and type(node.op) in OPERATOR_SWAPS:
        yield ast.AugAssign(node.target, OPERATOR_SWAPS[type(node.op)](), node.value)
    elif isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value):
        yield ast.Return(ast.Constant(None))
    elif isinstance(node, ast.Assign) and in_function and not _is_none(node.value):
        yield ast.Assign(node.targets, ast.Constant(None))
    elif in_function and (isinstance(node, ast.Raise) or _is_call_statement(node)):
        yield None
    elif isinstance(node, ast.Break):
        yield ast.Continue()
    elif isinstance(node, ast.Continue):
        yield ast.Break()


def _show(node: ast.AST | None) -> str:
    if node is None:
        return "(left out)"
    text = ast.unparse(node).replace("\n", " ")
    return text if len(text) <= 70 else text[:67] + "..."


class _Mutator:
    """Walks a module in a fixed order, counting mutation sites; replaces the `target`-th.

    The same walk enumerates the mutants (target None) and makes one (target n), so numbers
    always mean the same change.
    """

    def __init__(self, source: str, target: int | None = None) -> None:
        self.skip_lines = {
            n for n, line in enumerate(source.splitlines(), start=1) if PRAGMA in line
        }
        self.target = target
        self.found: list[Mutant] = []
        self.count = 0
        self.site = Site(0, "module", "", 0, 0)

    # -- the walk -----------------------------------------------------------------------

    def module(self, tree: ast.Module) -> ast.Module:
        body = _without_docstring(tree.body)
        for index, statement in enumerate(tree.body):
            if statement in body and not _unmutated_module_statement(statement):
                self.site = Site(0, "module", "", 0, index)
                tree.body[index] = self._top_level(statement, index)
        return tree

    def _top_level(self, statement: ast.stmt, index: int) -> ast.stmt:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            return self._function(statement, statement.name, index)
        if isinstance(statement, ast.ClassDef):
            return self._class(statement, statement.name, index)
        return self._node(statement, in_function=False)  # type: ignore[return-value]

    def _class(self, node: ast.ClassDef, qualname: str, index: int) -> ast.ClassDef:
        for i, statement in enumerate(node.body):
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                node.body[i] = self._function(statement, f"{qualname}.{statement.name}", index)
            elif isinstance(statement, ast.ClassDef):
                node.body[i] = self._class(statement, f"{qualname}.{statement.name}", index)
        return node

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str, index: int
    ) -> ast.FunctionDef | ast.AsyncFunctionDef:
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        self.site = Site(0, "defaults", qualname, first, index)
        node.args.defaults = [cast(ast.expr, self._node(d, False)) for d in node.args.defaults]
        node.args.kw_defaults = [
            None if d is None else cast(ast.expr, self._node(d, False))
            for d in node.args.kw_defaults
        ]
        self.site = Site(0, "function", qualname, first, index)
        docstring = node.body[:1] if node.body != _without_docstring(node.body) else []
        kept = [self._node(s, in_function=True) for s in _without_docstring(node.body)]
        body = docstring + [cast(ast.stmt, s) for s in kept if s is not None]
        node.body = body or [ast.Pass()]
        return node

    def _node(self, node: ast.AST, in_function: bool) -> ast.AST | None:
        if getattr(node, "lineno", None) in self.skip_lines:
            return node
        if isinstance(node, ast.JoinedStr):  # an f-string's text is wording: only its values
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    part.value = self._node(part.value, in_function)  # type: ignore[assignment]
            return node
        for field, value in ast.iter_fields(node):
            if _unmutated_field(node, field):
                continue
            if isinstance(value, list):
                new = [self._child(v, in_function) for v in value]
                new = [v for v in new if v is not None]  # statements left out
                setattr(node, field, new if new or not value else [ast.Pass()])
            elif isinstance(value, ast.AST):
                setattr(node, field, self._child(value, in_function))
        return self._mutate(node, in_function)

    def _child(self, value: object, in_function: bool) -> object:
        if isinstance(value, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return value if not in_function else self._node(value, in_function)
        return self._node(value, in_function) if isinstance(value, ast.AST) else value

    def _mutate(self, node: ast.AST, in_function: bool) -> ast.AST | None:
        options: Iterator[ast.AST | None]
        if isinstance(node, ast.stmt):
            options = _statement(node, in_function)
        elif isinstance(node, ast.expr):
            options = _expression(node)
        else:
            return node
        result: ast.AST | None = node
        for replacement in options:
            if replacement is not None:
                ast.copy_location(replacement, node)
            if self.target is None:
                line = getattr(node, "lineno", 0)
                site = Site(line, *_site_rest(self.site))
                self.found.append(Mutant(self.count, site, _show(node), _show(replacement)))
            elif self.count == self.target:
                result = replacement
            self.count += 1
        return result


def _site_rest(site: Site) -> tuple[Kind, str, int, int]:
    return site.kind, site.scope, site.first_line, site.statement


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    is_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    return body[1:] if is_doc else body


def _unmutated_module_statement(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return True
    if isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test):
        return True
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    return any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)


def _unmutated_field(node: ast.AST, field: str) -> bool:
    """Fields that are no behaviour: annotations, decorators, imports, docstrings."""
    if field in ("annotation", "returns", "decorator_list", "type_comment"):
        return True
    if isinstance(node, ast.Import | ast.ImportFrom | ast.Global | ast.Nonlocal):
        return True
    return isinstance(node, ast.Expr) and field == "value" and _docstring_like(node)


def _docstring_like(node: ast.Expr) -> bool:
    return isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _parse(source: str) -> ast.Module:
    return ast.parse(source)


def list_mutants(source: str) -> list[Mutant]:
    """Every mutant of the module, numbered in a fixed order."""
    mutator = _Mutator(source)
    mutator.module(_parse(source))
    return mutator.found


def mutated_tree(source: str, number: int) -> ast.Module:
    """The module's syntax tree with mutant `number` applied."""
    mutator = _Mutator(source, target=number)
    tree = ast.fix_missing_locations(mutator.module(_parse(source)))
    if mutator.count <= number:
        raise IndexError(f"the module has {mutator.count} mutants, not {number + 1}")
    return tree


__all__: list[str] = ["Mutant", "Site", "list_mutants", "mutated_tree"]
