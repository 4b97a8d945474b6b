"""Checks that the host's generated programs call after the sample's code (see programs.ts).

check_io: EvalPlus. Each input (a JSON list of arguments) is given to the function (a deep copy)
and the output compared with the reference solution's, with EvalPlus's rule for floats; each
call within its time limit (EvalPlus's: a multiple of the reference's time, with a floor),
which the host computes from the reference's times.
reference_outputs: the reference solution's outputs, printed base64-pickled for the host to
keep and hand to later samples (the host never unpickles them), and the time of each call.
check_stdio: LiveCodeBench. The solution file is run once per case with the case's stdin, and
its output compared line by line; or, for functional cases, Solution().<fn_name>(*args).
"""
import base64
import contextlib
import copy
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
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)) and value:
        return all(isinstance(v, float) for v in value)
    return False


def _all_close(out, exp, atol):
    if isinstance(exp, (list, tuple)):
        if not isinstance(out, (list, tuple)) or len(out) != len(exp):
            return False
        return all(_all_close(o, e, atol) for o, e in zip(out, exp))
    if isinstance(exp, bool) or isinstance(out, bool):
        return out == exp
    if isinstance(exp, (int, float)) and isinstance(out, (int, float)):
        if math.isnan(exp) and math.isnan(out):
            return True
        return abs(out - exp) <= atol + 1e-07 * abs(exp)
    return out == exp


def _matches(out, exp, atol):
    try:
        if bool(out == exp):
            return True
    except Exception:
        pass
    if atol == 0 and _is_floats(exp):
        atol = 1e-6
    return atol != 0 and _all_close(out, exp, atol)


def _short(value):
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "..."


def reference_outputs(fn, inputs_path):
    outputs, times = [], []
    for args in _inputs(inputs_path):
        args = copy.deepcopy(args)
        started = time.perf_counter()
        outputs.append(fn(*args))
        times.append(time.perf_counter() - started)
    sys.stdout.write(EXPECTED_MARK + base64.b64encode(pickle.dumps(outputs, protocol=4)).decode() + "\n")
    sys.stdout.write(TIMES_MARK + json.dumps([round(t, 6) for t in times]) + "\n")


def _on_alarm(signum, frame):
    raise _TimeLimit()


def check_io(fn, inputs_path, expected_path, atol, base_count, limits_path=None):
    inputs = _inputs(inputs_path)
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
        if not _matches(out, exp, atol):
            raise AssertionError("%s %s: expected %s, got %s" % (which, _short(args)[:200], _short(exp), _short(out)))


def _same_output(got, want):
    got_lines = [line.strip() for line in got.strip().splitlines()]
    want_lines = [line.strip() for line in want.strip().splitlines()]
    if got_lines == want_lines:
        return True
    if len(got_lines) != len(want_lines):
        return False
    for g, w in zip(got_lines, want_lines):
        if g == w:
            continue
        gs, ws = g.split(), w.split()
        if len(gs) != len(ws):
            return False
        try:
            if not all(math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6) for a, b in zip(gs, ws)):
                return False
        except ValueError:
            return False
    return True


def _run_stdin(source_code, path, stdin_text):
    out = io.StringIO()
    sys.stdin = io.StringIO(stdin_text)
    try:
        with contextlib.redirect_stdout(out):
            try:
                exec(source_code, {"__name__": "__main__", "__file__": path})
            except SystemExit as e:
                if e.code not in (None, 0):
                    raise
    finally:
        sys.stdin = sys.__stdin__
    return out.getvalue()


def check_stdio(solution_path, cases_path, fn_name=None):
    with open(solution_path) as f:
        source_code = compile(f.read(), solution_path, "exec")
    with open(cases_path) as f:
        cases = json.load(f)
    namespace = None
    for i, case in enumerate(cases):
        if fn_name:
            if namespace is None:
                namespace = {"__name__": "solution"}
                exec(source_code, namespace)
            args = [json.loads(line) for line in case["input"].split("\n") if line.strip()]
            got, want = namespace["Solution"]().__getattribute__(fn_name)(*args), json.loads(case["output"])
            if got != want:
                raise AssertionError("case #%d: expected %s, got %s" % (i, _short(want), _short(got)))
            continue
        got = _run_stdin(source_code, solution_path, case["input"])
        if not _same_output(got, case["output"]):
            raise AssertionError("case #%d: expected %s, got %s" % (i, _short(case["output"].strip()), _short(got.strip())))
