"""Our model's training time, timed like the starter bot's: from an empty cache.

`make bench` times `rasa train --force` (the Makefile's command) with an empty training
cache and a temporary output folder, so models/cpp.tar.gz is not touched, and records it
with the commit it trained in results/bench/training.json. It takes about 4 minutes of
both cores, before any server starts, so `--quick` and `--no-train` report that record
instead (named as a record, with its date and commit).
"""

from __future__ import annotations

import json
import os
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
    commit = data.get("commit") or "?"
    return {**data, "source": f"recorded {data.get('measured_at', '?')} at commit {commit}"}


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
                env=base_env(
                    {
                        "RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache"),
                        # As the Makefile trains: the encoder on every core.
                        "ENCODER_THREADS": str(os.cpu_count() or 1),
                    }
                ),
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
        "commit": _commit(),
    }
    record_path(out_dir).write_text(json.dumps(data, indent=2) + "\n")
    return {**data, "source": "measured in this run"}


def _commit() -> str | None:
    """The checkout's commit, with "+changes" when files differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
