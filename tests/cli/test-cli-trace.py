#!/usr/bin/env python3
"""memscope --trace and the trace views, from the command line.

References: the exit statuses of the programs traced (sh -c 'exit 3'), the
allocations tests/targets/msc-trace-target.c documents, xmllint for the
file's well-formedness, Python's csv module for the history.
"""
import base64
import csv
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest
import zlib

MEMSCOPE = os.environ["MEMSCOPE"]
TARGET = os.environ["MSC_TRACE_TARGET"]
LIB = os.environ["MSC_TRACE_LIB"]


OPS = ("malloc", "calloc", "realloc", "reallocarray", "free", "posix_memalign", "aligned_alloc",
       "memalign", "valloc", "pvalloc", "mmap", "munmap", "mremap", "mprotect", "madvise", "brk")


def varints(data):
    """LEB128 varints, as docs/file-formats.md ("Trace") defines them."""
    pos = 0

    def get():
        nonlocal pos
        value, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    def byte():
        nonlocal pos
        pos += 1
        return data[pos - 1]

    return get, byte, lambda: pos < len(data)


def unzigzag(z):
    return (z >> 1) ^ -(z & 1)


def decode_events(text):
    """Every event of every <TraceEvents> run, decoded from the documented
    format alone: (op, address, size)."""
    events = []
    for run_text in re.findall(r'<TraceEvents Count="\d+">([^<]*)</TraceEvents>', text):
        get, byte, more = varints(zlib.decompress(base64.b64decode(run_text)))
        time = address = 0
        while more():
            head = byte()
            op = head & 0x1F
            time += unzigzag(get())
            if head & 0x40:
                get()  # thread index
            address = (address + unzigzag(get())) & (2**64 - 1)
            size = 0
            if OPS[op] != "free":
                size = get()
                get()  # stack node
            if head & 0x20:
                get(), get(), get(), get()  # flags, errno, old address, old size
            events.append((OPS[op], address, size))
    return events


def gone(pid):
    """Ended: no such process, or a zombie (an init that does not collect
    orphans, as in some containers, leaves them so)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def run(*args):
    return subprocess.run([MEMSCOPE, *args], capture_output=True, text=True, timeout=120)


class TraceCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.capture = os.path.join(cls.dir.name, "target.mmp")
        proc = run("--trace", "--interval", "0.5", "-o", cls.capture, "--", TARGET, LIB, "exit")
        assert proc.returncode == 7, (proc.returncode, proc.stderr)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def test_exit_status_is_the_programs(self):
        out = self.path("three.mmp")
        proc = run("--trace", "-o", out, "--", "sh", "-c", "exit 3")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertTrue(os.path.exists(out))

    def test_signal_exit_status(self):
        out = self.path("killed.mmp")
        proc = run("--trace", "-o", out, "--", "sh", "-c", "sleep 0.5; kill -9 $$")
        self.assertEqual(proc.returncode, 128 + 9, proc.stderr)
        with open(out) as f:
            self.assertRegex(f.read(), r'<Trace [^>]*Signal="9" CutShort="1"')

    def test_launch_errors_exit_2(self):
        proc = run("--trace", "-o", self.path("none.mmp"), "--", "msc-no-such-program")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("program not found", proc.stderr)
        self.assertFalse(os.path.exists(self.path("none.mmp")))
        proc = run("--trace", "--interval", "0.01", "--", "true")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--interval", proc.stderr)
        proc = run("--trace", "-o", self.path("x.csv"), "--", "true")
        self.assertEqual(proc.returncode, 2)
        self.assertIn(".mmp only", proc.stderr)

    def test_capture_is_well_formed_and_keeps_snapshots_first(self):
        subprocess.run(["xmllint", "--noout", self.capture], check=True)
        with open(self.capture) as f:
            text = f.read()
        # Start, intervals, exit: the first and the last in full (issue 20),
        # the last Snapshot (the final state) before the Trace.
        self.assertEqual(text.count("<Snapshot "), 2)
        self.assertGreaterEqual(text.count("<SnapshotDelta "), 1)
        self.assertLess(text.rindex("</Snapshot>"), text.index("<Trace "))
        self.assertLess(text.rindex("<SnapshotDelta "), text.rindex("<Snapshot "))

    def test_call_tree_inverted(self):
        proc = run("--call-tree", "--inverted", self.capture)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = {}
        for line in proc.stdout.splitlines()[1:]:
            m = re.match(r"\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)  (\s*)(\S.*)$", line)
            if m and len(m.group(6)) == 2:  # the root's children
                rows[m.group(7)] = tuple(int(m.group(i)) for i in range(1, 6))
        # bytes, count, live at the last snapshot, peak, leaked
        self.assertEqual(rows["alloc_leak"], (21000, 7, 21000, 21000, 21000))
        self.assertEqual(rows["alloc_small"][:3], (100000, 100, 0))
        self.assertEqual(rows["msc_trace_lib_alloc"], (12726, 3, 12726, 12726, 12726))

    def test_leaks(self):
        proc = run("--leaks", self.capture)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"21000 bytes in 7 blocks allocated at:\n    alloc_leak ")
        self.assertRegex(proc.stdout, r"12726 bytes in 3 blocks allocated at:\n    msc_trace_lib_alloc ")

    def test_history_and_allocations(self):
        out = self.path("history.csv")
        proc = run("--history", out, self.capture)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
        with open(self.capture) as f:
            declared = int(re.search(r'<Trace [^>]*Events="(\d+)"', f.read()).group(1))
        self.assertEqual(len(rows), declared)
        self.assertEqual(sum(1 for r in rows if r["Operation"] == "malloc" and r["Size"] == "3000"), 7)
        mapped = [r for r in rows if r["Operation"] == "mmap" and r["Function"] == "map_region"]
        self.assertEqual(len(mapped), 1)
        self.assertEqual(int(mapped[0]["Size"]), 64 << 20)
        # The 64 MiB region: made by map_region's mmap, holding no heap block.
        proc = run("--allocations", mapped[0]["Address"], self.capture)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"Mapped [0-9a-f]+-[0-9a-f]+ by mmap at .*\n    map_region ")
        self.assertIn("Heap blocks live in the region: 0, 0 bytes", proc.stdout)

    def test_events_decode_as_documented(self):
        with open(self.capture) as f:
            events = decode_events(f.read())
        out = self.path("history-doc.csv")
        self.assertEqual(run("--history", out, self.capture).returncode, 0)
        with open(out, newline="") as f:
            rows = [(r["Operation"], int(r["Address"], 16), int(r["Size"])) for r in csv.DictReader(f)]
        self.assertEqual(events, rows)
        self.assertEqual(sum(1 for e in events if e[0] == "malloc" and e[2] == 1000), 100)

    def interrupt(self, *extra):
        out = self.path("interrupted.mmp")
        proc = subprocess.Popen([MEMSCOPE, "--trace", "-o", out, *extra, "--", "sleep", "30"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        with open(out) as f:
            text = f.read()
        pid = int(re.search(r'<Process Pid="(\d+)"', text).group(1))
        self.assertIn('CutShort="1"', text)
        return proc.returncode, err, pid

    def test_interrupt_kills_by_default(self):
        rc, err, pid = self.interrupt()
        self.assertEqual(rc, 128 + 9, err)
        self.assertIn("killed", err)
        with self.assertRaises(ProcessLookupError):
            os.kill(pid, 0)

    def test_interrupt_can_leave_it_running(self):
        rc, err, pid = self.interrupt("--leave-running")
        self.assertIn("left running", err)
        os.kill(pid, 0)  # still there
        os.kill(pid, signal.SIGKILL)

    def children(self, stem):
        """The --follow-children captures beside stem.mmp: {pid: path}."""
        found = {}
        for name in os.listdir(self.dir.name):
            m = re.fullmatch(re.escape(stem) + r"\.(\d+)\.mmp", name)
            if m:
                found[int(m.group(1))] = self.path(name)
        return found

    def test_follow_children(self):
        out = self.path("fork.mmp")
        proc = run("--trace", "--interval", "0.2", "--follow-children", "-o", out, "--", TARGET, LIB, "fork")
        self.assertEqual(proc.returncode, 7, proc.stderr)
        with open(out) as f:
            self.assertNotIn(7777, [e[2] for e in decode_events(f.read())])
        children = self.children("fork")
        self.assertEqual(len(children), 1, proc.stderr)
        (pid, child), = children.items()
        self.assertIn(f"process {pid}: ", proc.stderr)
        with open(child) as f:
            text = f.read()
        self.assertIn(f'<Process Pid="{pid}"', text)
        self.assertGreaterEqual(text.count("<Snapshot ") + text.count("<SnapshotDelta "), 4)
        self.assertRegex(text, r'<Trace [^>]*ExitCode="4"')
        proc = run("--call-tree", "--inverted", child)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"\n\s+23331\s+3\s+15554\s+15554\s+15554    fork_alloc\n")

    def test_children_untraced_by_default(self):
        out = self.path("nofollow.mmp")
        proc = run("--trace", "-o", out, "--", TARGET, LIB, "fork")
        self.assertEqual(proc.returncode, 7, proc.stderr)
        self.assertEqual(self.children("nofollow"), {})

    def test_interrupt_kills_followed_children(self):
        out = self.path("family.mmp")
        proc = subprocess.Popen([MEMSCOPE, "--trace", "--follow-children", "-o", out, "--",
                                 "sh", "-c", "sleep 30 & sleep 30; wait"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 128 + 9, err)
        children = self.children("family")
        self.assertEqual(len(children), 2, err)
        for pid, path in children.items():
            with open(path) as f:
                self.assertIn('CutShort="1"', f.read())
            self.assertTrue(gone(pid), pid)


if __name__ == "__main__":
    unittest.main()
