"""The project's command line (`python -m bot ...`); every command has --help."""

from __future__ import annotations

from pathlib import Path

import click

from bot.clinic import ClinicProfileError, load_profile
from bot.settings import get_settings


@click.group()
def main() -> None:
    """Tools for the CPP caregiver companion."""


@main.command()
@click.option(
    "--profile", type=click.Path(path_type=Path), help="Clinic profile (default: $CLINIC_PROFILE)."
)
@click.option(
    "--source", type=click.Path(path_type=Path), default=Path("domain.yml"), show_default=True
)
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("build/domain"), show_default=True
)
def domain(profile: Path | None, source: Path, out: Path) -> None:
    """Build the domain folder Rasa trains on: domain.yml plus the clinic's facts."""
    from bot.domain_facts import build_domain_dir

    try:
        clinic = load_profile(profile or get_settings().clinic_profile)
    except ClinicProfileError as exc:
        raise click.ClickException(str(exc)) from exc
    if not source.exists():
        raise click.ClickException(f"domain file not found: {source}")
    build_domain_dir(clinic, source, out)
    click.echo(f"domain for {clinic.name} written to {out}/")


@main.command("spacy-model")
@click.option(
    "--out", type=click.Path(path_type=Path), help="Target folder (default: $SPACY_MODEL_DIR)."
)
def spacy_model(out: Path | None) -> None:
    """Build the spaCy pipeline (blank English, lookup lemmas, child-age ruler) and save it."""
    from bot.nlp.pipeline import save_pipeline

    target = save_pipeline(out or get_settings().spacy_model_dir)
    click.echo(f"spaCy pipeline saved to {target}")


@main.command()
@click.option("--url", help="Database URL (default: $DATABASE_URL).")
def migrate(url: str | None) -> None:
    """Create or upgrade the project's database tables (Alembic)."""
    from sqlalchemy.exc import OperationalError

    from bot.db.migrate import upgrade

    try:
        upgrade(url)
    except OperationalError as exc:
        raise click.ClickException(f"cannot reach the database: {exc.orig}") from exc
    click.echo("database is up to date")
