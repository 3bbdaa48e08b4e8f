"""bench.timeline reads the marks of a pooled run into the tail's figures."""
from __future__ import annotations

from pathlib import Path

from bench.timeline import Timeline

# a parent (pid 1) and two workers (10, 20): wall seconds, then the process's own CPU seconds
LOG = """\
1 0.0000 0.0200 start
10 0.3000 0.0000 file a.pdf start
20 0.3000 0.0000 file b.pdf start
10 0.6000 0.3000 file a.pdf end
1 0.6100 0.4000 write start
1 0.6200 0.4100 write end
10 0.6200 0.3000 file c.pdf start
20 0.7000 0.4000 file b.pdf end
1 0.7000 0.4100 write start
1 0.7100 0.4200 write end
10 0.9000 0.5800 file c.pdf end
1 0.9000 0.4200 write start
1 0.9100 0.4300 write end
1 0.9100 0.4300 merge start
1 1.0100 0.5300 merge end
1 1.2000 0.5300 write start
1 1.2100 0.5400 write end
1 1.2200 0.5400 finish start
1 1.3700 0.6900 finish end
1 1.3800 0.7000 exit
"""


def test_the_tail_is_read_from_the_marks(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text(LOG + "20 0.7000 0.4000 file d.pdf start\n20 1.2000 0.9000 file d.pdf end\n")
    run = Timeline.read(log)
    assert run.wall == 1.38
    assert run.first_start() == 0.3  # both workers' first files began 0.3 s after the CLI started
    assert [name for name, _ in run.last_files()] == ["c.pdf", "d.pdf"]
    # d.pdf: 0.5 CPU-s over 0.7-1.2 s of wall; c.pdf ended at 0.9, so 0.3 of its 0.5 s came after: 0.3 CPU-s
    assert abs(run.gap() - 0.3) < 1e-9
    assert abs(run.cpu("merge") - 0.1) < 1e-9 and abs(run.cpu("finish") - 0.15) < 1e-9
    assert abs(run.wait_before_finish() - 0.01) < 1e-9  # the last write ended at 1.21, the finish began at 1.22
