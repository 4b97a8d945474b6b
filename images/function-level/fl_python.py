"""Runs a Python program (argv[1]) and reports how it ended on fd 3, with the runner's nonce.

The nonce is read from fd 4 and the fd closed before the program runs, so a sample that
writes its own "passed" line on fd 3 (or exits 0 early) cannot produce a valid report.
Reports: {"ended": "completed"} or {"ended": "exception", "type", "message", "line"}: the
line of the program where the exception was raised (the failing assert for AssertionError).

The nonce and the report are locals of _wrap, not names of this module: a sample that looks in
sys.modules["__main__"] (this module) finds neither. A sample that walks the interpreter's
frames or memory can still find the nonce (the tests run in its process, as in HumanEval's own
harness); see function-level-forgery.test.ts.
"""
import os
import sys


def _wrap():
    with os.fdopen(4, "rb") as nonce_file:
        nonce = nonce_file.read().decode()
    report_file = os.fdopen(3, "w")

    def flush_output():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # the program replaced or closed it: nothing to keep
                pass

    def report(**fields):
        import json  # here, not at the top: most samples pass, and every import costs each of them

        flush_output()
        report_file.write(json.dumps(dict(fields, nonce=nonce)) + "\n")
        report_file.flush()

    def failing_line(tb, path):
        import traceback

        for frame in reversed(traceback.extract_tb(tb)):
            if frame.filename == path:
                return {"lineno": frame.lineno, "line": (frame.line or "").strip()}
        return {}

    path = os.path.abspath(sys.argv[1])
    with open(path) as f:
        source = f.read()
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(path))
    try:
        code = compile(source, path, "exec")
        exec(code, {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__})
    except BaseException as e:  # SystemExit included: a program that exits has not finished its tests
        import traceback

        tb = e.__traceback__
        traceback.print_exception(type(e), e, tb)
        try:
            message = str(e)[:2000]
        except BaseException:  # an exception whose __str__ fails still has a type
            message = "(no message)"
        report(ended="exception", type=type(e).__name__, message=message, **failing_line(tb, path))
        os._exit(1)
    flush_output()
    report_file.write('{"ended": "completed", "nonce": "%s"}\n' % nonce)
    report_file.flush()
    # Threads or atexit hooks the program left must not keep it running past its tests.
    os._exit(0)


_wrap()
