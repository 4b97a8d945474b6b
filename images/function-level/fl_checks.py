"""Checks that the host's generated programs call after the sample's code (see programs.ts).

check_io: EvalPlus. Each input (a JSON list of arguments) is given to the function (a deep copy)
and the output compared with the reference solution's, with EvalPlus's rule for floats and its
special oracles for the tasks that name one; each call within its time limit (EvalPlus's: a multiple of the reference's time, with a floor),
which the host computes from the reference's times.
reference_outputs: the reference solution's outputs, printed base64-pickled for the host to
keep and hand to later samples (the host never unpickles them), and the time of each call.
check_stdio: LiveCodeBench. The solution file is run once per case with the case's stdin, and
its output compared line by line (LiveCodeBench's rule); or, for functional cases,
Solution().<fn_name>(*args) (or the module's function) compared with `==`. Both after
LiveCodeBench's prelude of imports.
"""
import base64
import contextlib
import copy
import decimal
import io
import json
import math
import pickle
import signal
import sys
import time

EXPECTED_MARK = "FL-EXPECTED:"
TIMES_MARK = "FL-TIMES:"


class _TimeLimit(BaseException):
    """Raised in the function by SIGALRM at its input's time limit (a BaseException: code that
    catches Exception does not swallow it)."""


def _inputs(path):
    with open(path) as f:
        return json.load(f)


def _is_floats(value):
    # EvalPlus's rule: a float, or a list or tuple of floats (an empty one too).
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, float) for v in value)
    return False


def _number(value):
    return isinstance(value, (int, float))


def _all_close(out, exp, atol):
    """numpy.allclose(out, exp, rtol=1e-07, atol) over nested lists of numbers: NaN is not
    close to NaN, and anything but a number (or bool) at a leaf fails, as numpy raises there."""
    if isinstance(exp, (list, tuple)):
        if not isinstance(out, (list, tuple)) or len(out) != len(exp):
            return False
        return all(_all_close(o, e, atol) for o, e in zip(out, exp))
    if not (_number(out) and _number(exp)) or isinstance(out, (list, tuple)):
        return False
    if math.isinf(exp) or math.isinf(out):
        return out == exp
    return abs(out - exp) <= atol + 1e-07 * abs(exp)


def _poly(xs, x):
    return sum(c * math.pow(x, i) for i, c in enumerate(xs))


def _pyramid_surface(base_edge, height):
    # Mbpp/581, with height read as the apex's distance from the base.
    slant = math.sqrt((base_edge / 2) ** 2 + height ** 2)
    return round(base_edge ** 2 + 2 * base_edge * slant)


def _digit_distance(a, b):
    # Mbpp/558, the shorter number padded with zeros on the left.
    x, y = str(a), str(b)
    width = max(len(x), len(y))
    return sum(abs(int(p) - int(q)) for p, q in zip(x.zfill(width), y.zfill(width)))


def _exact(out, exp, args, oracle, atol):
    """Whether the output is right before the float rule; EvalPlus's special oracles decide
    for the few tasks whose reference output alone cannot (by the host's name for them)."""
    same = out == exp
    if oracle == "any-output":
        return True
    if oracle == "or-zero":
        return same or out == 0
    if oracle == "or-pyramid-surface":
        return same or abs(out - _pyramid_surface(*args)) <= atol
    if oracle == "or-digit-distance":
        return same or out == _digit_distance(*args)
    if oracle == "same-set":
        return set(out) == set(exp)
    if oracle == "not-none":
        return out == exp if isinstance(out, bool) else exp == (out is not None)
    return same


class _Judge:
    """EvalPlus's verdict on one output. `atol` is kept from input to input: EvalPlus raises
    it to 1e-6 at the first float output and leaves it there for the inputs after."""

    def __init__(self, atol, oracle):
        self.atol = atol
        self.oracle = oracle

    def __call__(self, out, exp, args):
        # An exception here (a comparison that raises, a set of lists) fails the input.
        if self.oracle == "polynomial-root":
            return abs(_poly(*args, out)) <= self.atol
        exact = _exact(out, exp, args, self.oracle, self.atol)
        if self.atol == 0 and _is_floats(exp):
            self.atol = 1e-6
        if not exact and self.atol != 0:
            return type(out) == type(exp) and _all_close(out, exp, self.atol)
        return bool(exact)


def _short(value):
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "..."


def reference_outputs(fn, inputs_path, oracle=None):
    outputs, times = [], []
    for args in _inputs(inputs_path):
        args = copy.deepcopy(args)
        started = time.perf_counter()
        outputs.append(fn(*args))
        times.append(time.perf_counter() - started)
    if oracle == "not-none":
        # As EvalPlus keeps them: only whether each output is None (a match object does not pickle).
        outputs = [o is not None for o in outputs]
    sys.stdout.write(EXPECTED_MARK + base64.b64encode(pickle.dumps(outputs, protocol=4)).decode() + "\n")
    sys.stdout.write(TIMES_MARK + json.dumps([round(t, 6) for t in times]) + "\n")


def _on_alarm(signum, frame):
    raise _TimeLimit()


def check_io(fn, inputs_path, expected_path, atol, base_count, limits_path=None, oracle=None):
    inputs = _inputs(inputs_path)
    judge = _Judge(atol, oracle)
    with open(expected_path) as f:
        expected = pickle.loads(base64.b64decode(f.read()))
    limits = _inputs(limits_path) if limits_path else []
    if limits:
        signal.signal(signal.SIGALRM, _on_alarm)
    for i, (args, exp) in enumerate(zip(inputs, expected)):
        which = "base input #%d" % i if i < base_count else "plus input #%d" % (i - base_count)
        limit = limits[i] if i < len(limits) else None
        args = copy.deepcopy(args)
        started = time.perf_counter()
        try:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, limit)
            out = fn(*args)
        except _TimeLimit:
            out = _TimeLimit
        finally:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - started
        # Measured as well: a function that caught the alarm has still run past its limit.
        if out is _TimeLimit or (limit and took > limit):
            raise AssertionError("%s %s: ran past its time limit of %.3f s" % (which, _short(args)[:200], limit))
        try:
            right = judge(out, exp, args)
        except Exception as e:
            raise AssertionError("%s %s: the output %s could not be judged: %s: %s" % (which, _short(args)[:200], _short(out), type(e).__name__, e))
        if not right:
            raise AssertionError("%s %s: expected %s, got %s" % (which, _short(args)[:200], _short(exp), _short(out)))


# What LiveCodeBench runs before a solution, in its namespace: these modules and their names
# (a LeetCode starter's `List[int]` needs no import there), and a deep recursion limit.
_LCB_MODULES = ["string", "re", "datetime", "collections", "heapq", "bisect", "copy", "math", "random",
                "statistics", "itertools", "functools", "operator", "io", "sys", "json", "builtins", "typing"]
_LCB_PRELUDE = compile(
    "".join("from %s import *\n" % m for m in _LCB_MODULES)
    + "".join("import %s\n" % m for m in _LCB_MODULES if m not in ("builtins", "typing"))
    + "sys.setrecursionlimit(50000)\n",
    "<livecodebench prelude>", "exec")


def _lcb_namespace(name, path):
    namespace = {"__name__": name, "__file__": path}
    exec(_LCB_PRELUDE, namespace)  # star imports skip _names: __name__ stays
    return namespace


def _lines(text):
    return [line.strip() for line in text.strip().split("\n")]


def _decimals(line):
    try:
        return [decimal.Decimal(item) for item in line.split()]
    except (decimal.InvalidOperation, ValueError):
        return None


def _same_output(got, want):
    """LiveCodeBench's rule: the same number of lines once the output is stripped, each line the
    same once stripped, or the same list of numbers read as decimals (1.0 is 1, 0.1 is not 0.1000001)."""
    got_lines, want_lines = _lines(got), _lines(want)
    if len(got_lines) != len(want_lines):
        return False
    for g, w in zip(got_lines, want_lines):
        if g == w:
            continue
        gd, wd = _decimals(g), _decimals(w)
        if gd is None or wd is None or gd != wd:
            return False
    return True


def _run_stdin(source_code, path, stdin_text):
    out = io.StringIO()
    sys.stdin = io.StringIO(stdin_text)
    try:
        with contextlib.redirect_stdout(out):
            try:
                exec(source_code, _lcb_namespace("__main__", path))
            except SystemExit as e:
                if e.code not in (None, 0):
                    raise
    finally:
        sys.stdin = sys.__stdin__
    return out.getvalue()


def _functional_target(source_text, namespace, fn_name):
    """LiveCodeBench's: a method of a fresh Solution() when the code has `class Solution`, else
    a function of the module."""
    if "class Solution" in source_text:
        return getattr(namespace["Solution"](), fn_name)
    return namespace[fn_name]


def check_stdio(solution_path, cases_path, fn_name=None):
    with open(solution_path) as f:
        source_text = f.read()
    source_code = compile(source_text, solution_path, "exec")
    with open(cases_path) as f:
        cases = json.load(f)
    target = None
    for i, case in enumerate(cases):
        if fn_name:
            if target is None:
                namespace = _lcb_namespace("solution", solution_path)
                exec(source_code, namespace)
                target = _functional_target(source_text, namespace, fn_name)
            args = [json.loads(line) for line in case["input"].split("\n") if line.strip()]
            got, want = target(*args), json.loads(case["output"])
            # LiveCodeBench's expected sequences are JSON lists: a tuple is read as one.
            if isinstance(got, tuple):
                got = list(got)
            if got != want:
                raise AssertionError("case #%d: expected %s, got %s" % (i, _short(want), _short(got)))
            continue
        got = _run_stdin(source_code, solution_path, case["input"])
        if not _same_output(got, case["output"]):
            raise AssertionError("case #%d: expected %s, got %s" % (i, _short(case["output"].strip()), _short(got.strip())))
