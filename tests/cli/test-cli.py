#!/usr/bin/env python3
"""The memscope command line against independent references.

References: the target's own /proc/PID/smaps_rollup and status (read here, not
by memscope), hand-checked sample files, xmllint, Python's csv module.
"""
import csv
import xml.etree.ElementTree as ET
import io
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import unittest

MEMSCOPE = os.environ["MEMSCOPE"]
TARGET = os.environ.get("MSC_TEST_TARGET", "")
SAMPLES = os.environ["MSC_SAMPLES"]
LIVE = os.environ.get("MSC_BACKEND") == "linux"


def run(*args, check_rc=None):
    proc = subprocess.run([MEMSCOPE, *args], capture_output=True, text=True, timeout=120)
    if check_rc is not None:
        assert proc.returncode == check_rc, (args, proc.returncode, proc.stdout, proc.stderr)
    return proc


class Target:
    """The test target: allocates a known mix, prints 'ready', waits for 'quit'."""

    def __init__(self, *args, exe=None):
        self.proc = subprocess.Popen([exe or TARGET, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        for line in self.proc.stdout:
            if line.strip() == "ready":
                break
        else:
            raise RuntimeError("target did not start")
        self.pid = self.proc.pid

    def kv(self, name):
        values = {}
        with open(f"/proc/{self.pid}/{name}") as f:
            for line in f:
                key, _, rest = line.partition(":")
                fields = rest.split()
                if fields and fields[0].isdigit():
                    values[key] = int(fields[0])
        return values

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        finally:
            self.proc.stdin.close()
            self.proc.stdout.close()


SUMMARY_TYPES = ("Total", "Image", "Mapped File", "Shareable", "Heap", "Managed Heap",
                 "Stack", "Private Data", "Page Table", "Unusable", "Free")
SUMMARY_COLUMNS = ("Size", "Committed", "Private", "Total WS", "Private WS", "Shareable WS",
                   "Shared WS", "Locked WS", "Blocks", "Largest")


def summary_rows(text):
    """Parses the printed summary table by the header's column positions
    (numbers are right-aligned under their header; zero is blank, as VMMap)."""
    lines = text.splitlines()
    header = next(l for l in lines if l.lstrip().startswith("Type") and "Committed" in l)
    ends, pos = [], 0
    for col in SUMMARY_COLUMNS:
        pos = header.index(col, pos) + len(col)
        ends.append(pos)
    rows = {}
    for line in lines[lines.index(header) + 1:]:
        name = next((t for t in SUMMARY_TYPES if line.startswith(t + " ") or line == t), None)
        if name is None:
            continue
        start = len(name)
        values = []
        for end in ends:
            values.append(line[start:end].strip())
            start = end
        rows[name] = values
    return rows


def kb(text):
    return int(text.replace(",", "")) if text not in ("", "n/a") else 0


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="msc-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_version_and_help(self):
        out = run("--version", check_rc=0).stdout
        self.assertRegex(out, r"^memscope \d+\.\d+\.\d+ \(\w+ backend\)")
        help_text = run("--help", check_rc=0).stdout
        for word in ("-p", "-o", "--64", "--summary", "OUTPUTFILE", "-p or -o alone"):
            self.assertIn(word, help_text)

    def test_usage_errors(self):
        proc = run(check_rc=1)
        self.assertIn("give either -p", proc.stderr)
        proc = run("-p", "1", "-o", "x.mmp", check_rc=1)
        self.assertIn("give either -p", proc.stderr)
        proc = run("--no-such-option", check_rc=1)
        self.assertIn("no-such-option", proc.stderr)

    def test_missing_input(self):
        proc = run("-o", os.path.join(self.tmp, "missing.mmp"), check_rc=1)
        self.assertIn("missing.mmp", proc.stderr)
        proc = run("-o", self.tmp, check_rc=1)
        self.assertIn("directory", proc.stderr)

    def test_open_sample_prints_summary(self):
        # -o alone opens the window; with no display the summary is printed
        # instead, and one line on stderr says why.
        sample = os.path.join(SAMPLES, "sample.mmp")
        proc = run("-o", sample, check_rc=0)
        rows = summary_rows(proc.stdout)
        self.assertIn("Total", rows)
        self.assertIn("Free", rows)
        self.assertIn("printing the summary instead", proc.stderr)
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        # --summary asks for it: no explanation needed.
        asked = run("-o", sample, "--summary", check_rc=0)
        self.assertEqual(asked.stdout, proc.stdout)
        self.assertEqual(asked.stderr, "")

    def test_notes_on_stderr(self):
        # The capture's notes explain its n/a figures: on stderr whether the
        # summary is printed or a file is written (the file keeps them itself).
        sample = os.path.join(SAMPLES, "sample.mmp")
        noted = os.path.join(self.tmp, "noted.mmp")
        with open(sample) as f:
            text = f.read()
        note = "Working-set figures are not available for this process."
        text = text.replace('Threads="5">', f'Threads="5" Notes="{note}">', 1)
        self.assertIn(note, text)
        with open(noted, "w") as f:
            f.write(text)
        proc = run("-o", noted, "--summary", check_rc=0)
        self.assertIn("Note: " + note, proc.stderr)
        for out in ("out.csv", "out.txt", "out"):
            proc = run("-o", noted, os.path.join(self.tmp, out), check_rc=0)
            self.assertEqual(proc.stdout, "")
            self.assertIn("Note: " + note, proc.stderr, out)
        proc = run("-o", sample, os.path.join(self.tmp, "plain.csv"), check_rc=0)
        self.assertNotIn("Note:", proc.stderr)

    def test_convert_round_trip_is_identical(self):
        sample = os.path.join(SAMPLES, "sample.mmp")
        out = os.path.join(self.tmp, "copy")
        run("-o", sample, out, check_rc=0)
        with open(sample, "rb") as a, open(out + ".mmp", "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_process_working_set_kept(self):
        # Where the regions have no working set, the whole process's (Windows'
        # GetProcessMemoryInfo) is kept through a save, and saves identically.
        capture = os.path.join(DATA, "model", "ws-process.mmp")
        first = os.path.join(self.tmp, "first")
        second = os.path.join(self.tmp, "second")
        run("-o", capture, first, check_rc=0)
        with open(first + ".mmp", "rb") as f:
            saved = f.read()
        self.assertIn(b' ProcessWorkingSet="1286144" ', saved)
        run("-o", first + ".mmp", second, check_rc=0)
        with open(second + ".mmp", "rb") as f:
            self.assertEqual(saved, f.read())

    def test_unwritable_output_keeps_existing_file(self):
        sample = os.path.join(SAMPLES, "sample.mmp")
        if os.geteuid() == 0:
            # root ignores directory permissions; a missing directory fails for everyone.
            dest = os.path.join(self.tmp, "no-such-dir", "out.mmp")
        else:
            ro = os.path.join(self.tmp, "ro")
            os.mkdir(ro, 0o555)
            dest = os.path.join(ro, "out.mmp")
        proc = run("-o", sample, dest, check_rc=1)
        self.assertIn("out.mmp", proc.stderr)
        self.assertFalse(os.path.exists(dest))
        # A failing write never truncates an existing capture. The write fails
        # for root too: a file-size limit (EFBIG; SIGXFSZ ignored) stops it.
        keep = os.path.join(self.tmp, "keep.csv")
        with open(keep, "w") as f:
            f.write("precious\n")

        def limit_file_size():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))

        proc = subprocess.run([MEMSCOPE, "-o", sample, keep], capture_output=True, text=True, timeout=120,
                              preexec_fn=limit_file_size)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("keep.csv", proc.stderr)
        with open(keep) as f:
            self.assertEqual(f.read(), "precious\n")
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith("keep")], ["keep.csv"],
                         "the temporary file was left behind")

    @unittest.skipUnless(LIVE, "needs the Linux backend")
    def test_process_choice_errors(self):
        # Every name begins with "": -p "" must not pick PID 1 (issue 15,
        # defect 9).
        for empty in ("", " "):
            proc = run("-p", empty, check_rc=1)
            self.assertIn("no process given", proc.stderr)
            self.assertNotIn("PID: 1\n", proc.stdout)
        # An unprivileged scan of PID 1 names its owner and the privilege.
        if os.geteuid() != 0:
            self.skipTest("needs root to run an unprivileged memscope")
        with open("/proc/1/status") as f:
            uid = int(next(l for l in f if l.startswith("Uid:")).split()[1])
        if uid == 65534:
            self.skipTest("PID 1 runs as nobody here")
        import pwd
        owner = pwd.getpwuid(uid).pw_name

        def as_nobody():
            os.setgid(65534)
            os.setuid(65534)

        proc = subprocess.run([MEMSCOPE, "-p", "1"], capture_output=True, text=True, timeout=60,
                              preexec_fn=as_nobody)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(f"process 1, which belongs to {owner}: run Memscope as that user, or as root "
                      "(CAP_SYS_PTRACE)", proc.stderr)

    @unittest.skipUnless(not LIVE, "only without a live backend")
    def test_no_backend_says_so(self):
        proc = run("-p", "1", check_rc=1)
        self.assertIn("no live backend", proc.stderr)


@unittest.skipUnless(LIVE and TARGET, "needs the Linux backend and the test target")
class CliLive(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="msc-cli-")
        self.target = Target()

    def tearDown(self):
        self.target.close()
        shutil.rmtree(self.tmp)

    def test_summary_matches_kernel(self):
        out = run("-p", str(self.target.pid), check_rc=0).stdout
        rollup = self.target.kv("smaps_rollup")
        status = self.target.kv("status")
        rows = summary_rows(out)
        self.assertIn(f"PID: {self.target.pid}", out)
        # Total WS (column 4) = resident pages + page tables, in KB.
        self.assertEqual(kb(rows["Total"][3]), rollup["Rss"] + status["VmPTE"])
        # Page Table row: Size = VmPTE.
        self.assertEqual(kb(rows["Page Table"][0]), status["VmPTE"])
        # Total Size = mapped size (VmSize) + page tables + Unusable.
        unusable = kb(rows["Unusable"][0]) if "Unusable" in rows else 0
        self.assertEqual(kb(rows["Total"][0]), status["VmSize"] + status["VmPTE"] + unusable)

    def test_output_formats_by_extension(self):
        base = os.path.join(self.tmp, "capture")
        run("-p", str(self.target.pid), base, check_rc=0)
        self.assertTrue(os.path.exists(base + ".mmp"))
        subprocess.run(["xmllint", "--noout", base + ".mmp"], check=True)
        with open(base + ".mmp") as f:
            head = f.read(4096)
        self.assertIn(f'Pid="{self.target.pid}"', head)

        run("-p", str(self.target.pid), base + ".csv", check_rc=0)
        with open(base + ".csv", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0][:2], ["Process:", "msc-test-target"])
        self.assertEqual(rows[1][:2], ["PID:", str(self.target.pid)])
        header = rows[3]
        self.assertEqual(header[:3], ["Type", "Size", "Committed"])

        run("-p", str(self.target.pid), base + ".log", check_rc=0)
        with open(base + ".log") as f:
            text = f.read()
        self.assertIn("Address", text)
        self.assertIn("Thread Stack", text)
        self.assertFalse(os.path.exists(base + ".log.mmp"))

    def test_newline_in_mapped_path(self):
        # The kernel writes it as "\012" in maps (issue 15, defect 8): the
        # capture holds the real bytes (Python's XML parser decodes &#10;),
        # text views show them escaped, one line per region.
        path = os.path.join(self.tmp, "two\nlines \\012 kept.bin")
        with open(path, "wb") as f:
            f.write(b"\0" * (1 << 20))
        target = Target("--file", path)
        try:
            out = os.path.join(self.tmp, "nl.mmp")
            run("-p", str(target.pid), out, check_rc=0)
        finally:
            target.close()
        details = [r.get("Details") for r in ET.parse(out).getroot().iter("Region")]
        self.assertIn(path, details)
        text = run("--text", out, check_rc=0).stdout
        shown = path.replace("\n", "\\n")
        self.assertEqual(len([l for l in text.splitlines() if l.endswith(shown)]), 1, text)

    def test_name_prefix_takes_lowest_pid_and_lists_others(self):
        # A copy under a name unique to this run: other test runs on the
        # machine may have msc-test-target processes of their own.
        name = f"mscpfx{os.getpid()}"
        exe = os.path.join(self.tmp, name)
        shutil.copy(TARGET, exe)
        first, second = Target(exe=exe), Target(exe=exe)
        try:
            proc = run("-p", name[:-1], check_rc=0)
            first_pid = min(first.pid, second.pid)
            other_pid = max(first.pid, second.pid)
            self.assertIn(f"PID: {first_pid}", proc.stdout)
            self.assertIn(f"using {first_pid}", proc.stderr)
            self.assertIn(str(other_pid), proc.stderr)
        finally:
            first.close()
            second.close()

    def test_no_such_process(self):
        proc = run("-p", "4194303", "--summary", check_rc=1)
        self.assertIn("4194303", proc.stderr)
        proc = run("-p", "no-process-has-this-name", "--summary", check_rc=1)
        self.assertIn("no-process-has-this-name", proc.stderr)
        # 0 is a process ID, not the start of a name.
        proc = run("-p", "0", "--summary", check_rc=1)
        self.assertIn("no process with ID 0", proc.stderr)

    def test_scan_then_reopen_is_identical(self):
        base = os.path.join(self.tmp, "live")
        run("-p", str(self.target.pid), base, check_rc=0)
        run("-o", base + ".mmp", base + "-again", check_rc=0)
        with open(base + ".mmp", "rb") as a, open(base + "-again.mmp", "rb") as b:
            self.assertEqual(a.read(), b.read())


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def target_command(target, line):
    """Sends a test-target command; returns {label: (addr, size)} it reported."""
    target.proc.stdin.write(line + "\n")
    target.proc.stdin.flush()
    reported = {}
    for answer in target.proc.stdout:
        if answer.strip() == "ready":
            return reported
        fields = dict(f.split("=", 1) for f in answer.split() if "=" in f)
        if "name" in fields:
            reported[fields["name"]] = (int(fields["addr"], 16), int(fields["size"]))
    raise RuntimeError("target exited")


@unittest.skipUnless(LIVE and TARGET, "needs the Linux backend and the test target")
class CliMemory(unittest.TestCase):
    """--strings and --empty-working-set; references: where the target put
    known strings, and its smaps_rollup."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="msc-cli-")
        self.target = Target()
        self.known = target_command(self.target, f"strings {self.tmp}")

    def tearDown(self):
        self.target.close()
        shutil.rmtree(self.tmp)

    def strings(self, label, *extra, check_rc=0):
        addr = self.known[label][0]
        return run("--strings", "-p", str(self.target.pid), "--address", f"{addr:x}", *extra,
                   check_rc=check_rc)

    def test_strings_of_a_heap_block(self):
        rss = self.target.kv("smaps_rollup")["Rss"]
        proc = self.strings("str-heap-ascii")
        lines = proc.stdout.splitlines()
        ascii_at = self.known["str-heap-ascii"][0]
        utf16_at = self.known["str-heap-utf16"][0]
        self.assertIn(f"{ascii_at:016x} ascii MSC-ASCII-HEAP-STRING", lines)
        self.assertIn(f"{utf16_at:016x} utf-16le MSC-UTF16-HEAP-STRING", lines)
        self.assertEqual(lines, sorted(lines))
        self.assertRegex(proc.stderr, r"\d+ pages skipped as not resident")
        self.assertEqual(self.target.kv("smaps_rollup")["Rss"], rss)

    def test_strings_skip_the_page_that_is_not_resident(self):
        proc = self.strings("strings-file")
        self.assertIn("MSC-ASCII-FILE-VISIBLE", proc.stdout)
        self.assertNotIn("MSC-ASCII-FILE-HIDDEN", proc.stdout)
        self.assertIn(" 1 pages skipped as not resident", proc.stderr)
        proc = self.strings("str-heap-ascii", "--min", "30")
        self.assertNotIn("MSC-ASCII-HEAP-STRING", proc.stdout)

    def test_strings_errors(self):
        pid = str(self.target.pid)
        proc = run("--strings", "-p", pid, check_rc=1)
        self.assertIn("--address", proc.stderr)
        proc = run("--strings", "-p", pid, "--address", "xyz", check_rc=1)
        self.assertIn("not a hexadecimal address", proc.stderr)
        proc = run("--strings", "-p", pid, "--address", "10", check_rc=1)
        self.assertIn("no memory is allocated at 10", proc.stderr)

    def test_empty_working_set(self):
        proc = run("--empty-working-set", "-p", str(self.target.pid))
        if os.geteuid() == 0:
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("Asked the kernel to page out", proc.stdout)
            self.assertIn("Resident size:", proc.stdout)
        else:
            self.assertEqual(proc.returncode, 1)
            self.assertIn("CAP_SYS_NICE", proc.stderr)


def data(*parts):
    return os.path.join(DATA, *parts)


class CliReview(unittest.TestCase):
    """--diff (diff(1)'s exit codes), --text, and VMMap's CSV/TXT exports.
    References: the hand-made files in tests/data (two-snapshots.mmp: 1 MiB
    region grown to 3 MiB plus a new 4 KiB one; import/vmmap.*: a VMMap
    export whose summary Total is 5,020 KB)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="msc-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_diff_identical_exits_0(self):
        sample = os.path.join(SAMPLES, "sample.mmp")
        proc = run("--diff", sample, sample, check_rc=0)
        self.assertIn("Regions: 0 new, 0 removed, 0 changed", proc.stdout)

    def test_diff_two_snapshots_of_one_file(self):
        two = data("model", "two-snapshots.mmp")
        for args in (("--diff", two), ("--diff", two, "--snapshots", "1,2"),
                     ("--diff", two + ":1", two + ":2")):
            out = run(*args, check_rc=1).stdout
            lines = out.splitlines()
            # Summary first: the header names both snapshots, the table
            # comes before the region list.
            self.assertTrue(lines[0].startswith("--- " + two + ":1\t2024-01-17 21:20:00 UTC"), lines[0])
            self.assertTrue(lines[1].startswith("+++ " + two + ":2\t2024-01-17 21:21:00 UTC"), lines[1])
            regions = lines.index("Regions: 1 new, 0 removed, 1 changed")
            total = next(i for i, l in enumerate(lines) if l.startswith("Total "))
            self.assertLess(total, regions)
            # 1,024 KB → 3,072 KB plus 4 KB new: Private Data +2,052 KB; the
            # page tables grew 8 → 12 KB, so Total is +2,056.
            self.assertEqual(lines[total].split()[1], "+2,056")
            pd = next(l for l in lines if l.startswith("Private Data "))
            self.assertEqual(pd.split()[2], "+2,052")
            changes = lines[regions + 1:]
            self.assertEqual(len(changes), 2)
            self.assertTrue(changes[0].startswith("~ 0000000000010000 "))
            self.assertIn("Size 1,024 -> 3,072 KB", changes[0])
            self.assertTrue(changes[1].startswith("+ 0000000000400000 "))
        # The reverse direction: shrunk, and the small region removed.
        out = run("--diff", two, "--snapshots", "2,1", check_rc=1).stdout
        self.assertIn("Regions: 0 new, 1 removed, 1 changed", out)
        self.assertIn("\n- 0000000000400000 ", out)
        self.assertIn("Size 3,072 -> 1,024 KB", out)

    def test_diff_errors_exit_2(self):
        two = data("model", "two-snapshots.mmp")
        proc = run("--diff", os.path.join(self.tmp, "missing.mmp"), two, check_rc=2)
        self.assertIn("missing.mmp", proc.stderr)
        proc = run("--diff", two, "--snapshots", "1,3", check_rc=2)
        self.assertIn("no snapshot 3", proc.stderr)
        proc = run("--diff", two, "--snapshots", "x", check_rc=2)
        self.assertIn("--snapshots", proc.stderr)
        proc = run("--diff", data("model", "flat.mmp"), check_rc=2)
        self.assertIn("one snapshot", proc.stderr)
        run("--diff", check_rc=2)
        run("--diff", data("model", "bad-truncated.mmp"), two, check_rc=2)

    def test_diff_as_git_external_diff(self):
        # git passes: path old-file old-hex old-mode new-file new-hex new-mode.
        two = data("model", "two-snapshots.mmp")
        flat = data("model", "flat.mmp")
        proc = run("--diff", "cap.mmp", flat, "0" * 40, "100644", two, "1" * 40, "100644", check_rc=1)
        # Labelled with the path; of a timeline, the latest snapshot.
        self.assertTrue(proc.stdout.startswith("--- a/cap.mmp\t"), proc.stdout[:80])
        self.assertIn("\n+++ b/cap.mmp:2\t", proc.stdout)
        # An added file: /dev/null on the old side, every region new.
        proc = run("--diff", "cap.mmp", "/dev/null", ".", ".", flat, ".", ".", check_rc=1)
        self.assertNotIn(" 0 new,", proc.stdout)
        self.assertIn(" 0 removed, 0 changed", proc.stdout)

    def test_text_view_is_stable_and_line_per_region(self):
        two = data("model", "two-snapshots.mmp")
        first = run("--text", two, check_rc=0).stdout
        self.assertEqual(first, run("--text", two, check_rc=0).stdout)
        self.assertIn("Snapshot 1 of 2: 2024-01-17 21:20:00 UTC", first)
        self.assertIn("Snapshot 2 of 2: 2024-01-17 21:21:00 UTC", first)
        # Region lines: 1 in the first snapshot, 2 in the second.
        regions = [l for l in first.splitlines() if l[:16].strip() and all(c in "0123456789ABCDEF" for c in l[:16])]
        self.assertEqual(len(regions), 3)
        self.assertNotIn("\r", first)
        self.assertFalse(any(l.endswith(" ") for l in first.splitlines()))

    def test_text_and_diff_escape_what_could_forge_lines(self):
        # A Details with an encoded LF/CR, a line separator, a bidi override,
        # and a process name with a newline (issue 15, defect 5): each region
        # stays on its one line, and the forged rows never appear as rows.
        forged = "x&#10;+ 0000000000999000  Image  4 KB  Read  evil&#13;~ y\u2028z\u202e"
        crafted = os.path.join(self.tmp, "crafted.mmp")
        with open(crafted, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<MemoryMap>\n'
                    '<Process Pid="7" Name="a&#10;PID: 666" Bits="64"/>\n'
                    '<Snapshot Timestamp="133500000000000000" PageTableSize="0">\n'
                    '<Region Address="65536" Blocks="1" Size="4096" Commit="4096" UseType="4" '
                    f'Type="Private Data" Details="{forged}"/>\n</Snapshot>\n</MemoryMap>\n')
        text = run("--text", crafted, check_rc=0).stdout
        lines = text.splitlines()
        self.assertIn("Process: a\\nPID: 666", lines)
        self.assertEqual([l for l in lines if l.startswith("PID:")], ["PID: 7"])
        region = [l for l in lines if l.startswith("0000000000010000")]
        self.assertEqual(len(region), 1)
        self.assertTrue(region[0].endswith("x\\n+ 0000000000999000  Image  4 KB  Read  evil\\r~ y\\u2028z\\u202E"),
                        region[0])
        self.assertFalse(any(l.startswith(("+ ", "~ ", "0000000000999000")) for l in lines))
        self.assertNotIn("\u2028", text)
        self.assertNotIn("\u202e", text)
        out = run("--diff", "/dev/null", crafted, check_rc=1).stdout
        changes = [l for l in out.splitlines() if l.startswith(("+ ", "- ", "~ "))]
        self.assertEqual(len(changes), 1, out)
        self.assertIn("evil\\r~ y", changes[0])
        # A label is a path: a newline in a file name is shown escaped too.
        odd = os.path.join(self.tmp, "odd\n+++ name.mmp")
        shutil.copy(crafted, odd)
        out = run("--diff", odd, crafted, check_rc=0).stdout
        self.assertTrue(out.splitlines()[0].startswith("--- " + self.tmp + "/odd\\n+++ name.mmp\t"), out[:200])

    def test_open_vmmap_exports(self):
        for name in ("vmmap.csv", "vmmap.txt"):
            out = run("-o", data("import", name), check_rc=0).stdout
            rows = summary_rows(out)
            # The file's own summary, Free and Unusable included.
            self.assertEqual(rows["Total"][0], "5,020", name)
            self.assertEqual(rows["Free"][0], "3,131,712", name)
            self.assertEqual(rows["Unusable"][9], "60", name)
        # Converted to .mmp and back: the two exports hold the same regions.
        run("-o", data("import", "vmmap.csv"), os.path.join(self.tmp, "c.mmp"), check_rc=0)
        run("-o", data("import", "vmmap.txt"), os.path.join(self.tmp, "t.mmp"), check_rc=0)
        run("--diff", os.path.join(self.tmp, "c.mmp"), os.path.join(self.tmp, "t.mmp"), check_rc=0)

    def test_diff_capture_against_its_own_export(self):
        # The exports hold no Free/Unusable rows and only KB (issue 15,
        # defect 7): against its own CSV or text export a capture is the
        # same, and the diff says what it could not compare.
        sample = os.path.join(SAMPLES, "sample.mmp")
        for ext in ("csv", "txt"):
            export = os.path.join(self.tmp, "sample." + ext)
            run("-o", sample, export, check_rc=0)
            for pair in ((sample, export), (export, sample)):
                out = run("--diff", *pair, check_rc=0).stdout
                self.assertIn("Regions: 0 new, 0 removed, 0 changed", out)
                self.assertIn("Not compared: Free, Unusable and Page Table regions", out)
                self.assertIn("Not compared: differences under 1 KB", out)
        # Between two captures nothing is left out.
        out = run("--diff", sample, sample, check_rc=0).stdout
        self.assertNotIn("Not compared", out)
        # A real change still shows: the first snapshot of two-snapshots.mmp
        # against the export of its second (1 MiB grown to 3 MiB, 4 KiB new).
        two = data("model", "two-snapshots.mmp")
        newer = os.path.join(self.tmp, "newer.csv")
        run("-o", two, newer, check_rc=0)
        out = run("--diff", two + ":1", newer, check_rc=1).stdout
        self.assertIn("Regions: 1 new, 0 removed, 1 changed", out)
        self.assertIn("Size 1,024 -> 3,072 KB", out)

    def test_bad_export_names_the_line(self):
        proc = run("-o", data("import", "bad-columns.csv"), check_rc=1)
        self.assertIn("bad-columns.csv: line 21", proc.stderr)
        proc = run("-o", data("import", "bad-no-details.txt"), check_rc=1)
        self.assertIn("details table is missing", proc.stderr)



class CliInput(unittest.TestCase):
    """Captures arriving through a pipe, a FIFO or standard input load as the
    same file does (issue 15, defect 2): the input is read once. Reference:
    the summary printed for the regular file."""

    FILES = (("mmp", os.path.join(SAMPLES, "sample.mmp")),
             ("csv", data("import", "vmmap.csv")),
             ("txt", data("import", "vmmap.txt")))

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="msc-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def expected(self, path):
        return run("-o", path, check_rc=0).stdout

    def test_standard_input(self):
        for kind, path in self.FILES:
            with open(path, "rb") as f:
                proc = subprocess.run([MEMSCOPE, "-o", "-"], stdin=f, capture_output=True, timeout=20)
            self.assertEqual(proc.returncode, 0, (kind, proc.stderr))
            self.assertEqual(proc.stdout.decode(), self.expected(path), kind)
        with open(self.FILES[0][1], "rb") as f:
            proc = subprocess.run([MEMSCOPE, "--text", "-"], stdin=f, capture_output=True, timeout=20)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(b"Snapshot 1 of", proc.stdout)

    def test_pipe_as_a_path(self):
        # What the shell's <(cat a.mmp) hands over: /dev/fd/N of a pipe.
        for kind, path in self.FILES:
            read_end, write_end = os.pipe()
            writer = subprocess.Popen(["cat", path], stdout=write_end)
            os.close(write_end)
            out = os.path.join(self.tmp, "out." + kind)
            proc = subprocess.run([MEMSCOPE, "-o", f"/dev/fd/{read_end}", out], pass_fds=(read_end,),
                                  capture_output=True, text=True, timeout=20)
            os.close(read_end)
            writer.wait(timeout=20)
            self.assertEqual(proc.returncode, 0, (kind, proc.stderr))
            self.assertEqual(self.expected(out), self.expected(path), kind)

    def test_fifo(self):
        for kind, path in self.FILES:
            fifo = os.path.join(self.tmp, "capture-fifo")
            os.mkfifo(fifo)
            writer = subprocess.Popen(["sh", "-c", 'cat "$1" > "$2"', "sh", path, fifo])
            proc = subprocess.run([MEMSCOPE, "-o", fifo], capture_output=True, text=True, timeout=20)
            writer.wait(timeout=20)
            os.unlink(fifo)
            self.assertEqual(proc.returncode, 0, (kind, proc.stderr))
            self.assertEqual(proc.stdout, self.expected(path), kind)

if __name__ == "__main__":
    unittest.main(verbosity=2)
