"""Files that hold caregivers' data or secrets are readable by their owner only.

SQLite creates a database file with the process's umask (usually world-readable), and
its -wal and -shm files with the database file's own permissions. So each SQLite file
is created here, owner-only, before SQLite opens it, and a file left readable by an
older version is tightened.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600


def private_file(path: str | Path) -> Path:
    """Create ``path`` (and its folder) owner-only if missing; tighten it if it is not."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
        try:
            info = candidate.stat()
        except FileNotFoundError:
            continue
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            candidate.chmod(FILE_MODE)
    return path


def private_sqlite_url(database: str | None) -> None:
    """``private_file`` for a SQLite URL's database path, unless it is in memory."""
    if database and database != ":memory:" and not database.startswith("file:"):
        private_file(database)
