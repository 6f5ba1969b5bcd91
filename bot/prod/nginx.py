"""nginx for the stack: the config rendered from deploy/nginx.conf.template, and the
command that runs it in the foreground with that config (never the system's)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf.template"
_PLACEHOLDER = re.compile(r"{{(\w+)}}")


def render_config(
    *,
    listen: str,
    upstream_ports: list[int],
    workdir: Path,
    log_dir: Path,
    template: Path = TEMPLATE,
) -> str:
    """The template with its ``{{name}}`` placeholders filled; an unknown one raises."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=5s;" for port in upstream_ports
    )
    values = {
        "listen": listen,
        "upstream_servers": servers,
        "workdir": str(workdir),
        "log_dir": str(log_dir),
    }

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise ValueError(f"{template}: unknown placeholder {match.group(0)}")
        return values[match.group(1)]

    return _PLACEHOLDER.sub(fill, template.read_text())


def write_config(workdir: Path, text: str) -> Path:
    """Write nginx.conf and the temp folders it names into ``workdir``."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "nginx-tmp" / name).mkdir(parents=True, exist_ok=True)
    path = workdir / "nginx.conf"
    path.write_text(text)
    return path


def nginx_binary() -> str:
    """Debian's nginx (deploy/ensure-services.sh installs it)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError(
            "nginx is not installed: run deploy/ensure-services.sh (make run-prod does)"
        )
    return found


def nginx_command(config: Path, log_dir: Path) -> list[str]:
    """nginx in the foreground (Ctrl-C or SIGTERM stops it) with ``config``."""
    return [
        nginx_binary(),
        "-c",
        str(config),
        "-p",
        str(config.parent),
        "-e",
        str(log_dir / "nginx-error.log"),
        "-g",
        "daemon off;",
    ]
