"""Write the clinic's facts into a generated domain file.

Rasa fills ``{clinic_phone}``-style placeholders in responses from slots. Giving
those slots the profile's values as initial values (rather than setting them from
a custom action) means every response, including the crisis reply, carries the
clinic's facts even when the action server is down.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from bot.clinic import ClinicProfile

GENERATED_NAME = "clinic_facts.yml"


def facts_domain(profile: ClinicProfile) -> dict:
    """A domain fragment declaring one unfeaturized slot per clinic fact."""
    slots = {
        name: {
            "type": "any",
            "initial_value": value,
            "influence_conversation": False,
            "mappings": [{"type": "custom"}],
        }
        for name, value in profile.slot_values().items()
    }
    return {"version": "3.1", "slots": slots}


def build_domain_dir(profile: ClinicProfile, source: Path, target: Path) -> Path:
    """Make ``target`` a domain folder: a link to the hand-written domain plus the facts."""
    target.mkdir(parents=True, exist_ok=True)
    link = target / "domain.yml"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(source.resolve(), target.resolve()))
    header = "# Generated from the clinic profile by `python -m bot domain`; do not edit.\n"
    text = header + yaml.safe_dump(facts_domain(profile), sort_keys=True, allow_unicode=True)
    (target / GENERATED_NAME).write_text(text, encoding="utf-8")
    return target
