"""Valid but extreme dates are input errors at their line:col (exit 2), never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DAPUWEI, ROOT, edited, line_of

LOCKUP = str(Path(ROOT, "cases", "violations", "ma-controller-lockup-12m.yaml"))
BAN = str(Path(ROOT, "cases", "investor", "ban-violated.yaml"))


@pytest.mark.parametrize("source,old,new", [
    (DAPUWEI, "      lockup_months: 12\n", "      lockup_until: 9999-12-31\n"),
    (DAPUWEI, "t_day: 2026-04-03", "t_day: 1989-12-31"),
    (LOCKUP, "start_date: 2024-09-30\n", "start_date: 9999-12-01\n"),
    (LOCKUP, "{months: 12, starts: issuance_end, start_date: 2024-09-30",
     "{months: 0, starts: issuance_end, start_date: 0001-01-01"),
    (BAN, "report_date: 2025-03-12", "report_date: 0001-01-01"),
    (BAN, "report_date: 2025-03-12", "report_date: 2101-01-01"),
])
def test_an_out_of_range_date_is_an_input_error_at_its_line(tmp_path, source, old, new):
    path = edited(tmp_path, old, new, source=source)
    proc = subprocess.run([sys.executable, "-m", "checker", path, "--format", "lines"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    day = new.split(": ")[-1].strip().split(",")[0]
    assert proc.stdout.startswith(f"{path}:{line_of(path, day)}:"), proc.stdout
    assert "between 1990-01-01 and 2100-12-31" in proc.stdout


def test_three_reports_at_the_end_of_2100_still_check(tmp_path):
    path = edited(tmp_path, "report_date: 2025-03-12", "report_date: 2100-12-29", source=BAN)
    path = edited(tmp_path, "report_date: 2025-07-08", "report_date: 2100-12-30", source=path, name="b.yaml")
    path = edited(tmp_path, "report_date: 2025-11-20", "report_date: 2100-12-31", source=path, name="c.yaml")
    proc = subprocess.run([sys.executable, "-m", "checker", path, "--format", "lines"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
