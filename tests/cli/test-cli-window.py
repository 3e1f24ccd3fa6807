#!/usr/bin/env python3
"""memscope's -p and -o with a display open the window, as VMMap's do; with
an output file or --summary they stay headless. Runs under xvfb-run
(tests/cli/meson.build); the windows are read from the X server with
xwininfo, independently of memscope."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

MEMSCOPE = os.environ["MEMSCOPE"]
TARGET = os.environ.get("MSC_TEST_TARGET", "")
SAMPLES = os.environ["MSC_SAMPLES"]
LIVE = os.environ.get("MSC_BACKEND") == "linux"


def window_names():
    """xwininfo walks the tree one window at a time and fails (BadWindow,
    exit 1) when a window goes away during the walk, as a closing memscope's
    do: that walk is taken again."""
    for attempt in range(10):
        run = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True)
        if run.returncode == 0:
            return [line.split('"')[1] for line in run.stdout.splitlines() if line.count('"') >= 2]
        time.sleep(0.1)
    raise RuntimeError(f"xwininfo failed 10 times: {run.stderr!r}")


def open_gui(*args, title):
    """Starts memscope and waits for a window whose title contains title.
    Once in a while on this busy machine memscope found the display refusing
    it (it then prints the summary, as with no display) while the server
    answered other clients: that case is tried once more, and said."""
    for attempt in range(2):
        gui = Gui(*args)
        found = gui.wait_for_window(title)
        if found is not None or gui.proc.poll() is None:
            return gui, found
        gui.err.seek(0)
        if attempt == 0 and "no display" in gui.err.read() and display_ready():
            print("memscope found no display; trying once more", file=sys.stderr)
            gui.close()
            continue
        return gui, found
    return gui, found


class Gui:
    def __init__(self, *args):
        self.out = tempfile.TemporaryFile(mode="w+")
        self.err = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([MEMSCOPE, *args], stdout=self.out, stderr=self.err, text=True)

    def wait_for_window(self, text, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [n for n in window_names() if text in n]
            if found:
                return found[0]
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        return None

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.out.seek(0)
        self.err.seek(0)
        stdout, stderr = self.out.read(), self.err.read()
        self.out.close()
        self.err.close()
        return stdout, stderr


class CliWindow(unittest.TestCase):
    def test_open_shows_the_capture_in_the_window(self):
        gui, title = open_gui("-o", os.path.join(SAMPLES, "sample.mmp"), title="sample.mmp")
        code = gui.proc.poll()
        stdout, stderr = gui.close()
        self.assertEqual(title, "msc-test-target (PID 4218) — sample.mmp — Memscope",
                         f"exit {code}, stderr {stderr!r}")
        self.assertIsNone(code, "memscope exited instead of showing the window")
        self.assertEqual(stdout, "", "the summary was printed instead")

    def test_summary_and_output_file_stay_headless(self):
        sample = os.path.join(SAMPLES, "sample.mmp")
        proc = subprocess.run([MEMSCOPE, "-o", sample, "--summary"], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Total", proc.stdout)
        self.assertNotIn("no display", proc.stderr)
        tmp = tempfile.mkdtemp(prefix="msc-cli-window-")
        try:
            proc = subprocess.run([MEMSCOPE, "-o", sample, os.path.join(tmp, "copy.csv")],
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertTrue(os.path.exists(os.path.join(tmp, "copy.csv")))
        finally:
            shutil.rmtree(tmp)

    def test_usage_error_in_a_dialog(self):
        # No terminal to read stderr (a shortcut, Run, memscope.exe): the
        # error is said in a dialog too; closing it ends memscope with 1.
        gui, title = open_gui("-p", title="Memscope")
        code = gui.proc.poll()
        stdout, stderr = gui.close()
        self.assertEqual(title, "Memscope", f"exit {code}, stderr {stderr!r}")
        self.assertIsNone(code, "memscope exited without showing the error")
        self.assertIn("Missing argument for -p", stderr)

    @unittest.skipUnless(LIVE and TARGET, "needs the Linux backend and the test target")
    def test_process_opens_in_the_window(self):
        # A copy under a name unique to this run: other test runs on the
        # machine may have msc-test-target processes of their own.
        tmp = tempfile.mkdtemp(prefix="msc-cli-window-")
        name = f"mscwin{os.getpid()}"
        shutil.copy(TARGET, os.path.join(tmp, name))
        target = subprocess.Popen([os.path.join(tmp, name)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        try:
            for line in target.stdout:
                if line.strip() == "ready":
                    break
            # By PID, and by the start of the name (VMMap's -p).
            for text in (str(target.pid), name[:-2]):
                gui, title = open_gui("-p", text, title=f"(PID {target.pid})")
                code = gui.proc.poll()
                stdout, stderr = gui.close()
                if title != f"{name} (PID {target.pid}) — Memscope":
                    self.fail(f"{text}: window {title!r}, exit {code}, stderr {stderr!r}, "
                              f"windows {window_names()}")
                self.assertEqual(stdout, "", text)
        finally:
            target.stdin.write("quit\n")
            target.stdin.close()
            target.wait(timeout=10)
            target.stdout.close()
            shutil.rmtree(tmp)


def display_ready(seconds=15):
    """xvfb-run returns once Xvfb has started; on a busy machine the first
    client can still be refused for a moment. Wait until one is accepted."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if subprocess.run(["xwininfo", "-root"], capture_output=True).returncode == 0:
            return True
        time.sleep(0.2)
    return False


if __name__ == "__main__":
    if shutil.which("xwininfo") is None:
        print("xwininfo not found (x11-utils): cannot see memscope's windows; skipping")
        sys.exit(77)
    if not display_ready():
        print(f"the X server at {os.environ.get('DISPLAY')} accepts no client; skipping")
        sys.exit(77)
    unittest.main(verbosity=2)
