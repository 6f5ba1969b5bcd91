"""`python -m bot run-prod` (the stack in the foreground) and `python -m bot api-token`."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import click

from bot.prod.stack import PROD_ENV


@click.command("run-prod")
@click.option(
    "--env-file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=PROD_ENV,
    show_default=True,
    help="This machine's production values (over the embedded defaults).",
)
@click.option("--instances", type=int, help="Rasa instances (default: $RASA_INSTANCES).")
@click.option(
    "--workdir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("var/prod"),
    show_default=True,
    help="nginx config, pid and the logs of every process.",
)
def run_prod(env_file: Path, instances: int | None, workdir: Path) -> None:
    """Run the production stack in the foreground until Ctrl-C: N Rasa instances on
    PostgreSQL and Redis, the action server, nginx, reminders, demo page, console.

    Needs the services and the database (deploy/ensure-services.sh), the migrated
    project tables and a trained model: `make run-prod` does all of that first.
    A Rasa instance that dies is started again; if another part dies, all stop.
    """
    from bot.prod.stack import running_stack, settings_from, stack_env

    # Ctrl-C, or SIGTERM from an orchestrator: unwind so every process is stopped (also
    # when started in the background, where a shell makes SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    count = instances or settings_from(stack_env(env_file=env_file)).rasa_instances
    click.echo(
        f"==> Starting {count} Rasa instances, the action server and nginx (a minute or two)"
    )
    try:
        with running_stack(
            workdir, instances=count, env_file=env_file, fixed_ports=True, extras=True
        ) as stack:
            click.echo(f"==> Up. Channels through nginx: {stack.proxy_url}")
            if settings_from(stack_env(env_file=env_file)).rest_channel == "token":
                click.echo(
                    f"    curl -s {stack.proxy_url}/webhooks/rest/webhook "
                    '-H "Authorization: Bearer $REST_CHANNEL_TOKEN" '
                    """-d '{"sender":"me","message":"what is cpp"}'"""
                )
            else:
                click.echo("    the REST channel is off (REST_CHANNEL, README: Security)")
            click.echo(f"    instances: {', '.join(stack.instance_urls)} (API with a JWT only)")
            click.echo(f"    logs: {stack.log_dir}/   Ctrl-C stops everything.")
            _supervise(stack)
    except KeyboardInterrupt:
        click.echo("==> Stopped.")
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc


def _supervise(stack) -> None:
    """Restart a Rasa instance that exits; stop the stack if any other part does."""
    while True:
        time.sleep(2)
        for name, proc in list(stack.procs.items()):
            if proc.poll() is None:
                continue
            if name.startswith("rasa-"):
                click.echo(f"==> {name} exited ({proc.returncode}); starting it again", err=True)
                stack.start_instance(int(name.split("-")[1]))
            else:
                raise click.ClickException(
                    f"{name} exited ({proc.returncode}); see {stack.log_dir}/{name}.log"
                )


@click.command("api-token")
@click.option("--minutes", type=int, default=15, show_default=True, help="How long it is valid.")
def api_token(minutes: int) -> None:
    """Print an admin JWT for Rasa's HTTP API (curl -H "Authorization: Bearer ...").

    Signed with RASA_JWT_SECRET, or the secret in RASA_JWT_SECRET_FILE, which is
    created the first time (make run calls this for that).
    """
    from bot.api_auth import admin_token

    click.echo(admin_token(seconds=minutes * 60))
