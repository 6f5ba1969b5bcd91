"""The clinic profile is validated on load and is the only source of clinic facts."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from bot.clinic import ClinicProfileError, load_profile
from bot.domain_facts import build_domain_dir, facts_domain

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "clinic.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))


def test_demo_profile_loads(profile):
    assert profile.name
    assert profile.crisis.emergency.phone == "911"
    assert profile.crisis.suicide.phone == "988"


@pytest.mark.parametrize(
    ("months", "eligible"), [(0, True), (18, True), (71, True), (72, False), (96, False)]
)
def test_age_eligibility_follows_profile(profile, months, eligible):
    assert profile.ages.max_age_years == 5
    assert profile.is_age_eligible(months) is eligible


def test_missing_field_is_reported_by_name(tmp_path, raw):
    del raw["phone"]
    with pytest.raises(ClinicProfileError, match="phone"):
        load_profile(_write(tmp_path, raw))


def test_bad_timezone_is_reported(tmp_path, raw):
    raw["timezone"] = "Mars/Olympus"
    with pytest.raises(ClinicProfileError, match="time zone"):
        load_profile(_write(tmp_path, raw))


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ClinicProfileError, match="not found"):
        load_profile(tmp_path / "nope.yml")


def test_changing_the_profile_changes_the_generated_facts(tmp_path, raw):
    other = copy.deepcopy(raw)
    other.update(name="Cedar Hill Clinic", phone="(555) 010-9999")
    other["session"]["minutes"] = 50
    other["ages"]["max_age_years"] = 6
    a = facts_domain(load_profile(_write(tmp_path, raw)))["slots"]
    b = facts_domain(load_profile(_write(tmp_path, other)))["slots"]
    assert a["session_minutes"]["initial_value"] == "60"
    assert b["session_minutes"]["initial_value"] == "50"
    assert b["clinic_phone"]["initial_value"] == "(555) 010-9999"
    assert b["clinic_age_range"]["initial_value"] == "from birth through age 6"
    assert all(not s["influence_conversation"] for s in b.values())


def test_domain_dir_links_source_and_writes_facts(tmp_path, profile):
    out = build_domain_dir(profile, ROOT / "domain.yml", tmp_path / "domain")
    assert (out / "domain.yml").resolve() == (ROOT / "domain.yml").resolve()
    facts = yaml.safe_load((out / "clinic_facts.yml").read_text(encoding="utf-8"))
    assert facts["slots"]["clinic_name"]["initial_value"] == profile.name
