"""Runs a Python program (argv[1]) and reports how it ended on fd 3, with the runner's nonce.

The nonce is read from fd 4 and the fd closed before the program runs, so a sample that
writes its own "passed" line on fd 3 (or exits 0 early) cannot produce a valid report.
Reports: {"ended": "completed"} or {"ended": "exception", "type", "message", "line"}: the
line of the program where the exception was raised (the failing assert for AssertionError).

The nonce and the report are locals of _wrap, not names of this module: a sample that looks in
sys.modules["__main__"] (this module) finds neither. What decides the report after the program
ran (the exit, the encoding of the report) is taken before it runs: a sample that patches
os._exit or json.dumps cannot turn its failure into a pass. A sample that walks the
interpreter's frames or memory can still find the nonce (the tests run in its process, as in
HumanEval's own harness); see function-level-forgery.test.ts.
"""
import os
import sys


def _json_text(text, ord=ord, str=str):
    """A JSON string of `text`, ASCII only, built from str's own methods (json is not imported
    for the samples that pass, and a sample may have patched it by now)."""
    out = ['"']
    for ch in str.__str__(text):
        code = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code > 0xFFFF:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        else:
            out.append("\\u%04x" % code)
    out.append('"')
    return "".join(out)


def _wrap(str=str, type=type, int=int, reversed=reversed, BaseException=BaseException):
    # Bound now (default arguments and locals): the program may patch os and builtins.
    exit_now = os._exit
    json_text = _json_text
    with os.fdopen(4, "rb") as nonce_file:
        nonce = nonce_file.read().decode()
    report_file = os.fdopen(3, "w")

    def flush_output():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # the program replaced or closed it: nothing to keep
                pass

    def report_exception(type_name, message, where):
        flush_output()
        fields = [("ended", json_text("exception")), ("type", json_text(type_name)), ("message", json_text(message))]
        if where:
            fields += [("lineno", "%d" % where[0]), ("line", json_text(where[1]))]
        fields.append(("nonce", json_text(nonce)))
        report_file.write("{" + ", ".join('"%s": %s' % field for field in fields) + "}\n")
        report_file.flush()

    def failing_line(tb, path):
        import traceback

        try:
            for frame in reversed(traceback.extract_tb(tb)):
                if frame.filename == path:
                    return (int(frame.lineno), str.strip(str.__str__(frame.line or "")))
        except BaseException:  # traceback patched or broken by the program: the line is only a detail
            pass
        return None

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
            message = str.__str__(str(e))[:2000]
        except BaseException:  # an exception whose __str__ fails still has a type
            message = "(no message)"
        try:
            type_name = str.__str__(type(e).__name__)
        except BaseException:
            type_name = "BaseException"
        report_exception(type_name, message, failing_line(tb, path))
        exit_now(1)
    flush_output()
    report_file.write('{"ended": "completed", "nonce": "%s"}\n' % nonce)
    report_file.flush()
    # Threads or atexit hooks the program left must not keep it running past its tests.
    exit_now(0)


_wrap()
