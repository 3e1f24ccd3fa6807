#!/usr/bin/env python3
"""Many-snapshot captures (issue 20): saved with the snapshots between the
first and the last as SnapshotDelta elements, every snapshot reads back as
it was (memscope --diff FILE:N against the original), a second save is the
first byte for byte, and readers that know only Snapshot and Region (a
PerfView-style XML reader, a reader of column-0 Region lines) see complete
snapshots, the last one the final state.

Reference: ORIGINAL, the sample capture's snapshot repeated with a few
regions changed each time (figures, Protection, Details with characters XML
escapes, one allocation coming and going), every snapshot written in full.
"""

import importlib.util
import os
import random
import re
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

_spec = importlib.util.spec_from_file_location(
    "test_cli", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-cli.py"))
_cli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cli)
run = _cli.run

N_SNAPSHOTS = 30
ATTR = re.compile(r'(\w+)="([^"]*)"')


def region_line(indent, attrs):
    return indent + "<Region " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + "/>\n"


def make_history(sample, path):
    """Writes N_SNAPSHOTS full snapshots of sample's first one, changed."""
    with open(sample, encoding="utf-8") as f:
        lines = f.readlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("<Snapshot "))
    end = lines.index("</Snapshot>\n", start)
    head, snapshot_line = lines[:start], lines[start]
    regions = [(l[:len(l) - len(l.lstrip())], dict(ATTR.findall(l))) for l in lines[start + 1:end]]
    # Allocations of one sub-block (one VMA) that hold memory: the two
    # change alike.
    single = [i for i, (indent, a) in enumerate(regions[:-2])
              if indent == "" and a["Blocks"] == "1" and a["Type"] not in ("Free", "Unusable")
              and int(a["Size"]) >= 8192 and regions[i + 1][0] != "" and regions[i + 2][0] == ""]
    rand = random.Random(20)
    timestamp = int(re.search(r'Timestamp="(\d+)"', snapshot_line).group(1))
    out = list(head)
    for s in range(N_SNAPSHOTS):
        for _ in range(3 if s else 0):
            i = rand.choice(single)
            top, sub = regions[i][1], regions[i + 1][1]
            what = rand.randrange(3)
            if what == 0:
                ws = rand.randrange(int(top["Size"]) // 4096 + 1) * 4096
                for a in (top, sub):
                    a["PrivateWS"] = a["TotalWS"] = str(ws)
                    a["ShareableWS"] = a["SharedWS"] = "0"
            elif what == 1:
                for a in (top, sub):
                    a["Protection"] = str(int(a["Protection"]) ^ 0x04)
            else:
                sub["Details"] = f"changed &amp; &lt;{s}&gt; &quot;w&#9;ü"
        out.append(re.sub(r'Timestamp="\d+"', f'Timestamp="{timestamp + s * 10_000_000}"', snapshot_line))
        for i, (indent, a) in enumerate(regions):
            # The second of them comes and goes.
            if i not in (single[1], single[1] + 1) or s % 4 != 2:
                out.append(region_line(indent, a))
        out.append("</Snapshot>\n")
    out.append("</MemoryMap>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(out)


def last_snapshot_lines(path):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    start = max(i for i, l in enumerate(lines) if l.startswith("<Snapshot "))
    return lines[start:lines.index("</Snapshot>\n", start) + 1]


class CliDeltas(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="msc-deltas-")
        self.original = os.path.join(self.tmp, "original.mmp")
        self.saved = os.path.join(self.tmp, "saved.mmp")
        make_history(os.path.join(_cli.SAMPLES, "sample.mmp"), self.original)
        run("-o", self.original, self.saved, check_rc=0)
        with open(self.saved, encoding="utf-8") as f:
            self.text = f.read()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_saved_as_deltas(self):
        self.assertEqual(self.text.count("<Snapshot "), 2)
        self.assertEqual(self.text.count("<SnapshotDelta "), N_SNAPSHOTS - 2)
        self.assertLess(os.path.getsize(self.saved), os.path.getsize(self.original) / 5)

    def test_every_snapshot_reads_back(self):
        for n in range(1, N_SNAPSHOTS + 1):
            out = run("--diff", f"{self.original}:{n}", f"{self.saved}:{n}", check_rc=0).stdout
            self.assertIn("Regions: 0 new, 0 removed, 0 changed", out, n)
        # Not vacuous: neighbours differ.
        out = run("--diff", f"{self.saved}:2", f"{self.saved}:3", check_rc=1).stdout
        self.assertNotIn("Regions: 0 new, 0 removed, 0 changed", out)

    def test_second_save_is_identical(self):
        resaved = os.path.join(self.tmp, "resaved.mmp")
        run("-o", self.saved, resaved, check_rc=0)
        with open(resaved, encoding="utf-8") as f:
            self.assertEqual(f.read(), self.text)

    def test_perfview_style_reader(self):
        # Every Snapshot, every Region of the latest Snapshot; nothing else.
        def snapshots(path):
            result = []
            for element in ET.parse(path).getroot().iter():
                if element.tag == "Snapshot":
                    result.append((element.get("Timestamp"), []))
                elif element.tag == "Region":
                    result[-1][1].append(element.attrib)
            return result
        saved, original = snapshots(self.saved), snapshots(self.original)
        self.assertEqual(len(saved), 2)
        self.assertEqual(saved[0], original[0])
        self.assertEqual(saved[-1], original[-1])

    def test_line_reader(self):
        # MemoryAnalyzer9000's way: the last Snapshot's column-0 Region lines.
        self.assertEqual(last_snapshot_lines(self.saved), last_snapshot_lines(self.original))
        inside = False
        for line in self.text.splitlines():
            if line.startswith("<Snapshot "):
                inside = True
            elif line == "</Snapshot>":
                inside = False
            elif line.lstrip().startswith("<Region"):
                self.assertTrue(inside, line)


if __name__ == "__main__":
    unittest.main(verbosity=2)
