#!/usr/bin/env python3
"""test-skips.py TESTLOG.JSON — list the tests meson skipped, each with its reason.

A test that needs a host capability (32-bit code, root, swap, a kernel
interface) probes for it and skips with a one-line reason; this prints those
reasons after a run, so a skip is never silent. Two forms are read from
meson's testlog.json: a whole test that exited 77 (its "SKIP: reason" line, or
else its last line of output), and a GLib TAP subtest ("ok N /path # SKIP why").
"""
import json
import re
import sys

TAP_SKIP = re.compile(r"^ok \d+ (\S+) # SKIP ?(.*)$")


def output_of(entry):
    return (entry.get("stdout") or "") + "\n" + (entry.get("stderr") or "")


def whole_test_reason(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("SKIP:"):
            return line[len("SKIP:"):].strip()
    return lines[-1] if lines else "(no reason printed)"


def skips(entries):
    for entry in entries:
        name, text = entry.get("name", "?"), output_of(entry)
        if entry.get("result") == "SKIP":
            yield name, whole_test_reason(text)
            continue
        for line in text.splitlines():
            match = TAP_SKIP.match(line.strip())
            if match:
                yield f"{name} {match.group(1)}", match.group(2) or "(no reason printed)"


def main():
    try:
        with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
            entries = [json.loads(line) for line in log if line.strip()]
    except OSError as error:
        print(f"test-skips.py: {error}", file=sys.stderr)
        return 0
    found = list(skips(entries))
    for name, reason in found:
        print(f"SKIP  {name}: {reason}")
    if not found:
        print("no tests skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
