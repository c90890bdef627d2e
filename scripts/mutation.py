"""Mutate one module and run the tests that reach it: which changes do the tests let through?

    scripts/mutation PATH [PYTEST ARGS...] [--jobs N] [--fail-under 0.90] [--list]

PATH is a module of the package (src/bluealert/formats/same/header.py); the pytest arguments
say where its tests are (default: tests). The tests are collected once and run once, traced,
to learn which test reaches which function. Then each mutant (see mutants.py) runs in a
forked copy of that process: the mutated function's code replaces the live function's
(`__code__`), so every module that imported it sees the change, and only the tests that called
that function run, stopping at the first failure. A mutant is killed when a test fails or
runs 5 times as long as it did untouched (plus 30 s: the machine may be busy); it survived
when they all pass.

The survivors are printed with their line, and the last line is `mutation_score=0.NN` (killed
over all mutants, rounded down). Tests that start a subprocess cannot see a mutant and are
not traced, so they count for nothing here. Run it with `nice -n 19`: it is CPU-heavy.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import os
import select
import signal
import sys
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from mutants import Mutant, list_mutants, mutated_tree

MODULE_LEVEL = ""  # the scope of a statement outside any function


class Refused(Exception):
    """The run cannot say anything about the module (tests fail untouched, wrong module)."""


@dataclass
class Baseline:
    """What the untouched run learned: each test's time, and the functions it reached."""

    seconds: dict[str, float] = field(default_factory=dict)
    reached: dict[str, list[str]] = field(default_factory=dict)  # scope -> test node ids
    failed: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # killed, timeout, survived, untested
    by: str = ""


# -- in the forked child: run tests ---------------------------------------------------------


class _Failures:
    """A pytest plugin that notes which tests failed (in any phase)."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed and report.nodeid not in self.failed:
            self.failed.append(report.nodeid)


def _run(items: list[pytest.Item], failures: _Failures, stop_at_failure: bool) -> None:
    for i, item in enumerate(items):
        following = items[i + 1] if i + 1 < len(items) else None
        item.ihook.pytest_runtest_protocol(item=item, nextitem=following)
        if stop_at_failure and failures.failed:
            item.session._setupstate.teardown_exact(None)  # drop databases made for the tests
            return


def _module_name(path: Path) -> str:
    for entry in sorted((Path(p).resolve() for p in sys.path if p), key=lambda p: -len(p.parts)):
        if entry in path.parents:
            return ".".join(path.relative_to(entry).with_suffix("").parts)
    raise SystemExit(f"{path} is not on the import path")


def _scope_of(code: types.CodeType) -> str:
    return code.co_qualname.split(".<locals>")[0] if "<" not in code.co_qualname[:1] else ""


def _traced_baseline(items: list[pytest.Item], failures: _Failures, target: str) -> Baseline:
    baseline = Baseline()
    current: dict[str, str] = {}
    reached: dict[str, set[str]] = {}

    def tracer(frame: types.FrameType, event: str, arg: object) -> None:
        if frame.f_code.co_filename == target and "test" in current:
            reached.setdefault(_scope_of(frame.f_code), set()).add(current["test"])

    sys.settrace(tracer)
    threading.settrace(tracer)
    for i, item in enumerate(items):
        current["test"] = item.nodeid
        started = time.perf_counter()
        nxt = items[i + 1] if i + 1 < len(items) else None
        item.ihook.pytest_runtest_protocol(item=item, nextitem=nxt)
        baseline.seconds[item.nodeid] = time.perf_counter() - started
    sys.settrace(None)
    threading.settrace(None)
    order = {item.nodeid: i for i, item in enumerate(items)}
    baseline.reached = {s: sorted(t, key=order.__getitem__) for s, t in reached.items()}
    baseline.failed = failures.failed
    return baseline


def _live_functions(module: types.ModuleType) -> Iterator[types.FunctionType]:
    """Every function the module defines at top level or in its classes, unwrapped."""
    seen: set[int] = set()

    def unwrap(value: object) -> Iterator[types.FunctionType]:
        if isinstance(value, staticmethod | classmethod):
            value = value.__func__
        if isinstance(value, property):
            for accessor in (value.fget, value.fset, value.fdel):
                yield from unwrap(accessor)
            return
        if callable(value) and hasattr(value, "__wrapped__"):
            value = inspect.unwrap(value)
        if isinstance(value, types.FunctionType) and id(value) not in seen:
            seen.add(id(value))
            yield value

    def walk(namespace: dict[str, Any]) -> Iterator[types.FunctionType]:
        for value in list(namespace.values()):
            if isinstance(value, type) and value.__module__ == module.__name__:
                if id(value) not in seen:
                    seen.add(id(value))
                    yield from walk(dict(vars(value)))
            else:
                yield from unwrap(value)

    for function in walk(vars(module)):
        if function.__module__ == module.__name__:
            yield function


def _code_in(code: types.CodeType, qualname: str, first_line: int) -> types.CodeType:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_qualname == qualname and const.co_firstlineno == first_line:
                return const
            try:
                return _code_in(const, qualname, first_line)
            except LookupError:
                continue
    raise LookupError(qualname)


def _execute(tree: ast.Module, module: types.ModuleType) -> dict[str, Any]:
    namespace: dict[str, Any] = {
        "__name__": module.__name__,
        "__file__": module.__file__,
        "__package__": module.__package__,
    }
    exec(compile(tree, str(module.__file__), "exec"), namespace)
    return namespace


def _names_to_rebind(tree: ast.Module, statement: int) -> set[str]:
    """The names the mutated top-level statement binds, and those computed from them."""
    names = _stored(tree.body[statement])
    grew = True
    while grew:
        grew = False
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                loads = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
                if loads & names and not _stored(node) <= names:
                    names |= _stored(node)
                    grew = True
    return names


def _stored(statement: ast.stmt) -> set[str]:
    names = (n for n in ast.walk(statement) if isinstance(n, ast.Name))
    return {n.id for n in names if isinstance(n.ctx, ast.Store)}


def _apply(mutant: Mutant, source: str, module: types.ModuleType) -> None:
    """Put the mutant into the live process (run only in the forked child)."""
    tree = mutated_tree(source, mutant.number)
    site = mutant.site
    live = {(f.__code__.co_qualname, f.__code__.co_firstlineno): f for f in _live_functions(module)}
    if site.kind == "function":
        code = compile(tree, str(module.__file__), "exec")
        live[(site.scope, site.first_line)].__code__ = _code_in(code, site.scope, site.first_line)
        return
    namespace = _execute(tree, module)
    _refresh_defaults(live, namespace, module.__name__)
    if site.kind == "module":
        for name in _names_to_rebind(tree, site.statement):
            old, value = getattr(module, name, None), namespace.get(name)
            for other in list(sys.modules.values()):
                if other is module or vars(other).get(name, object()) is old:
                    setattr(other, name, value)


def _refresh_defaults(
    live: dict[tuple[str, int], types.FunctionType], namespace: dict[str, Any], name: str
) -> None:
    """Default values are evaluated once, at `def`: take them from the mutated module."""
    copy = types.ModuleType(name)
    vars(copy).update(namespace)
    for new in _live_functions(copy):
        target = live.get((new.__code__.co_qualname, new.__code__.co_firstlineno))
        if target is not None:
            target.__defaults__, target.__kwdefaults__ = new.__defaults__, new.__kwdefaults__


def _clear_caches(module: types.ModuleType) -> None:
    for value in vars(module).values():
        if callable(value) and hasattr(value, "cache_clear"):
            value.cache_clear()


def _forked(job: Any, *args: Any) -> tuple[int, int]:
    """Run job(write_end, *args) in a child in its own process group; (pid, read end)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.setpgid(0, 0)
        code = 0
        try:
            job(write, *args)
        except BaseException as error:  # a mutant may break anything; the parent hears of it
            os.write(write, json.dumps({"error": repr(error)}).encode())
            code = 1
        os._exit(code)
    os.close(write)
    return pid, read


def _read_all(fd: int, deadline: float | None) -> bytes | None:
    """What the child wrote, or None if it is still writing at the deadline."""
    chunks: list[bytes] = []
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _finish(pid: int, read: int, deadline: float | None) -> dict[str, Any] | None:
    data = _read_all(read, deadline)
    os.close(read)
    if data is None:
        os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None if data is None else json.loads(data or b"{}")


# -- in the parent: plan and report ---------------------------------------------------------


class MutationSession:
    """A pytest plugin that takes over the run loop once the tests are collected."""

    def __init__(self, path: Path, options: argparse.Namespace, out: Any) -> None:
        self.path, self.options, self.out = path, options, out
        self.failures = _Failures()
        self.score = 0.0
        self.refused = False
        self.summary: list[str] = []  # printed after pytest's own closing lines

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        from hypothesis import settings

        # The same examples each run; a mutant that only slows a test down is the timeout's.
        settings.register_profile("mutation", derandomize=True, deadline=None, database=None)
        config.pluginmanager.register(self.failures, "mutation-failures")
        self.config = config

    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        try:
            self._mutate(session)
        except Refused as refusal:
            sys.stderr.write(f"scripts/mutation: {refusal}\n")
            self.refused = True
        return True

    def _mutate(self, session: pytest.Session) -> None:
        module = importlib.import_module(_module_name(self.path))
        if Path(str(module.__file__)).resolve() != self.path:
            imported = f"{module.__name__} is imported from {module.__file__}"
            raise Refused(f"{imported}, not {self.path}")
        source = self.path.read_text()
        found = list_mutants(source)
        baseline = self._baseline(session.items, str(module.__file__))
        by_id = {item.nodeid: item for item in session.items}
        self._report(self._run_all(found, baseline, by_id, source, module))

    def _baseline(self, items: list[pytest.Item], target: str) -> Baseline:
        def job(write: int) -> None:
            self._quiet()
            baseline = _traced_baseline(items, self.failures, target)
            os.write(write, json.dumps(baseline.__dict__).encode())

        result = _finish(*_forked(job), None) or {}
        if "error" in result or result.get("failed"):
            raise Refused(f"the tests fail untouched: {result.get('error') or result['failed']}")
        baseline = Baseline(**result)
        reached = {t for tests in baseline.reached.values() for t in tests}
        self.out.write(
            f"{len(items)} tests collected, {len(reached)} reach {self.path.name}; "
            f"untouched run {sum(baseline.seconds.values()):.1f} s (traced)\n"
        )
        return baseline

    def _tests_for(self, mutant: Mutant, baseline: Baseline) -> list[str]:
        if mutant.site.kind == "module":
            everyone = {t for tests in baseline.reached.values() for t in tests}
            return [t for t in baseline.seconds if t in everyone]
        return baseline.reached.get(mutant.site.scope, [])

    def _run_all(
        self,
        found: list[Mutant],
        baseline: Baseline,
        by_id: dict[str, pytest.Item],
        source: str,
        module: types.ModuleType,
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        running: list[tuple[Mutant, int, int, float]] = []
        pending = list(found)
        while pending or running:
            while pending and len(running) < self.options.jobs:
                mutant = pending.pop(0)
                tests = self._tests_for(mutant, baseline)
                if not tests:
                    outcomes.append(self._note(Outcome(mutant, "untested")))
                    continue
                budget = 5 * sum(baseline.seconds[t] for t in tests) + 30
                # The quickest first: most mutants die on their first failing test.
                items = [by_id[t] for t in sorted(tests, key=baseline.seconds.__getitem__)]
                pid, read = _forked(self._mutant_job, mutant, source, module, items)
                running.append((mutant, pid, read, time.monotonic() + budget))
            if running:
                mutant, pid, read, deadline = running.pop(0)
                outcomes.append(self._note(_verdict(mutant, _finish(pid, read, deadline))))
        return sorted(outcomes, key=lambda o: o.mutant.number)

    def _quiet(self) -> None:
        """In a child: no progress dots (the parent prints what matters)."""
        reporter = self.config.pluginmanager.getplugin("terminalreporter")
        if reporter is not None:
            self.config.pluginmanager.unregister(reporter)

    def _mutant_job(
        self,
        write: int,
        mutant: Mutant,
        source: str,
        module: types.ModuleType,
        items: list[pytest.Item],
    ) -> None:
        self._quiet()
        try:
            _apply(mutant, source, module)
            _clear_caches(module)
        except Exception as error:  # a mutant that cannot even load is killed by any test
            os.write(write, json.dumps({"failed": [f"(loading: {error!r})"]}).encode())
            return
        _run(items, self.failures, stop_at_failure=True)
        os.write(write, json.dumps({"failed": self.failures.failed}).encode())

    def _note(self, outcome: Outcome) -> Outcome:
        if outcome.verdict in ("survived", "untested"):
            where = f"{_shown(self.path)}:{outcome.mutant.site.line}"
            note = " (no test reaches it)" if outcome.verdict == "untested" else ""
            self.out.write(f"survived {where}: {outcome.mutant.describe()}{note}\n")
        return outcome

    def _report(self, outcomes: list[Outcome]) -> None:
        killed = sum(o.verdict in ("killed", "timeout") for o in outcomes)
        timeouts = sum(o.verdict == "timeout" for o in outcomes)
        untested = sum(o.verdict == "untested" for o in outcomes)
        total = len(outcomes)
        hundredths = killed * 100 // total if total else 100  # rounded down: 0.899 is not 0.90
        self.score = hundredths / 100
        self.summary = [
            f"{_shown(self.path)}: {killed} of {total} mutants killed ({timeouts} by timeout); "
            f"{total - killed} survived ({untested} reached by no test)",
            f"mutation_score={hundredths // 100}.{hundredths % 100:02d}",
        ]


def _shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def _verdict(mutant: Mutant, result: dict[str, Any] | None) -> Outcome:
    if result is None:
        return Outcome(mutant, "timeout")
    if "error" in result or result.get("failed"):
        return Outcome(mutant, "killed", str(result.get("error") or result["failed"][0]))
    return Outcome(mutant, "survived")


def _options(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="scripts/mutation", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("path", type=Path, help="the module to mutate")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--fail-under", type=float, default=0.0, help="exit 1 below this score")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    return parser.parse_known_args(argv)


def main(argv: list[str]) -> int:
    options, pytest_args = _options(argv)
    path = options.path.resolve()
    if options.list:
        for mutant in list_mutants(path.read_text()):
            print(f"{mutant.number:4d} {path.name}:{mutant.site.line}: {mutant.describe()}")
        return 0
    out = os.fdopen(os.dup(1), "w", buffering=1)  # pytest captures fd 1 during the run
    plugin = MutationSession(path, options, out)
    args = ["-qq", "-p", "no:cacheprovider", "--hypothesis-profile=mutation"]
    with out:
        code = pytest.main([*args, *(pytest_args or ["tests"])], plugins=[plugin])
    if plugin.summary:
        print("\n".join(plugin.summary))
    if plugin.refused:
        return 2
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return int(code)
    return 1 if plugin.score < options.fail_under else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
