#!/usr/bin/env python3
"""memscope-capture, the console capture tool: its own messages (the Linux
and no-backend builds here; tests/windows/test-capture.sh runs the .exe under
Wine)."""
import os
import re
import subprocess
import unittest

CAPTURE = os.environ["MEMSCOPE_CAPTURE"]
LIVE = os.environ.get("MSC_BACKEND") == "linux"


def run(*args):
    return subprocess.run([CAPTURE, *args], capture_output=True, text=True, timeout=120)


class Capture(unittest.TestCase):
    def test_version(self):
        proc = run("--version")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"^memscope-capture \d+\.\d+\.\d+ \(\w+ backend\)\n$")
        self.assertIn("--version", run("--help").stdout)

    def test_missing_value(self):
        proc = run("-p")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("-p needs a value", proc.stderr)
        self.assertNotIn("unexpected argument", proc.stderr)

    def test_zero_is_a_pid(self):
        proc = run("-p", "0")
        self.assertEqual(proc.returncode, 1)
        self.assertNotIn("name begins", proc.stderr)
        if LIVE:
            self.assertRegex(proc.stderr, re.compile(r"no process with ID 0$", re.M))


if __name__ == "__main__":
    unittest.main(verbosity=2)
