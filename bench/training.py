"""Our model's training time: measured only when asked (`--train`), else the last record.

A full training of this bot takes many minutes of both cores, so a benchmark run does
not retrain by default; `python -m bench --train` times `rasa train --force` (the
Makefile's command) with an empty training cache and a temporary output folder, so
models/cpp.tar.gz is not touched, and records it in results/bench/training.json.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.servers import BIN, ROOT, base_env


def record_path(out_dir: Path) -> Path:
    return out_dir / "training.json"


def recorded(out_dir: Path) -> dict | None:
    """The last measured training, or None when it was never measured here."""
    path = record_path(out_dir)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
    except ValueError:
        return None
    return {**data, "source": f"recorded {data.get('measured_at', '?')}"}


def measure(out_dir: Path) -> dict:
    """`rasa train --force` from an empty cache; writes and returns the record."""
    with tempfile.TemporaryDirectory(prefix="cpp-bench-train-") as tmp:
        log = out_dir / "training.log"
        out_dir.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        with log.open("w") as out:
            done = subprocess.run(
                [
                    str(BIN / "rasa"),
                    "train",
                    "--domain",
                    "build/domain",
                    "--data",
                    "data",
                    "--config",
                    "config.yml",
                    "--out",
                    tmp,
                    "--fixed-model-name",
                    "cpp",
                    "--force",
                ],
                cwd=ROOT,
                env=base_env({"RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache")}),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"rasa train failed; see {log}")
    data = {
        "seconds": round(seconds, 1),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    record_path(out_dir).write_text(json.dumps(data, indent=2) + "\n")
    return {**data, "source": "measured in this run"}
