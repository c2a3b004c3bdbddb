"""One real batch written in every format at once (the run the report tests read)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDERS = ["cases/ipo", "cases/real", "cases/violations", "cases/investor"]
SCRIPT = "<script>alert(1)</script>"
WAIVED_RULE = "ipo.strategic.cap_ratio.lt100m"
FORMATS = {"json": "report.json", "sarif": "report.sarif", "junit": "report.xml", "markdown": "report.md",
           "html": "report.html", "console": "report.txt"}


def extra_cases(folder: Path) -> list[str]:
    """A case whose path and issuer short name hold a script tag, a waived violation, a broken file."""
    source = Path(ROOT, "cases/violations/strategic-over-20pct.yaml").read_text(encoding="utf-8")
    assert "short_name: 大普微" in source
    hostile_dir = folder / "<script>alert(1)<"        # the path reads …/<script>alert(1)</script>.yaml
    hostile_dir.mkdir(parents=True)
    hostile = hostile_dir / "script>.yaml"
    hostile.write_text(source.replace("short_name: 大普微", f'short_name: "{SCRIPT}"')
                       .replace("id: strategic-over-20pct", "id: hostile-names"), encoding="utf-8")
    waived = folder / "waived.yaml"
    waived.write_text(source.replace("id: strategic-over-20pct", "id: waived-cap") + (
        f"\nwaivers:\n  - rule: {WAIVED_RULE}\n    reason: 监管已书面同意 <b>例外</b>\n"
        "    approver: 合规部 张三\n    expires: 2026-12-31\n"), encoding="utf-8")
    broken = folder / "broken.yaml"
    broken.write_text("case_type: ipo\nissuer: [\n", encoding="utf-8")
    return [str(hostile), str(waived), str(broken)]


def run_all(folder: Path, lang: str = "zh") -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    paths = extra_cases(folder / "input")
    out = {name: folder / file for name, file in FORMATS.items()}
    spec = ",".join(f"{name}={path}" for name, path in out.items())
    proc = subprocess.run([sys.executable, "-m", "checker", *FOLDERS, *paths, "--format", spec,
                           "--lang", lang, "--today", "2026-05-01"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    return {"proc": proc, "paths": out, "json": doc, "extra": paths, "hostile": paths[0], "waived": paths[1],
            "broken": paths[2], "text": {k: p.read_text(encoding="utf-8") for k, p in out.items()}}
