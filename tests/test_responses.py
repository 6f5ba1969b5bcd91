"""Every response renders with the clinic's facts, reads short enough for SMS, and
follows the clinic profile: the same Rasa NLG the server uses fills them in."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.loading import load_data

from bot.clinic import load_profile
from bot.domain_facts import build_domain_dir

ROOT = Path(__file__).resolve().parents[1]
FAQ_KEYS = [
    "what_is_cpp",
    "who_for",
    "session_activities",
    "who_can_come",
    "phases",
    "first_appointment",
    "session_length",
    "frequency",
    "program_length",
    "evidence",
    "benefits",
    "clinicians",
    "cost",
    "referrals",
    "babies",
    "talking_children",
    "something_wrong",
    "privacy",
    "contact",
    "location",
    "languages",
]
SMS_LIMIT = 480


def _domain_for(profile_path: Path, tmp: Path) -> Domain:
    folder = build_domain_dir(load_profile(profile_path), ROOT / "domain.yml", tmp / "domain")
    domain = Domain.load(str(folder))
    faq = load_data(str(ROOT / "data" / "nlu" / "faq_responses.yml"))
    return domain.merge(Domain.from_dict({"responses": faq.responses}))


async def _render(domain: Domain, name: str, **kwargs) -> str:
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    tracker = DialogueStateTracker.from_events("t", [], slots=domain.slots)
    message = await nlg.generate(name, tracker, "rest", **kwargs)
    return message["text"]


@pytest.fixture(scope="module")
def domain(tmp_path_factory) -> Domain:
    return _domain_for(ROOT / "clinic.yml", tmp_path_factory.mktemp("d"))


def test_every_faq_topic_has_exactly_one_answer(domain):
    keys = sorted(k.split("/", 1)[1] for k in domain.responses if k.startswith("utter_faq/"))
    assert keys == sorted(FAQ_KEYS)


@pytest.mark.parametrize("key", FAQ_KEYS)
async def test_faq_answer_is_filled_short_and_ends_with_a_next_step(domain, key):
    text = await _render(domain, f"utter_faq/{key}")
    assert "{" not in text and "}" not in text, text
    assert len(text) < SMS_LIMIT, (len(text), text)
    last = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    assert last.endswith("?") or re.search(r"call|reach|text|visit|ask|let me", last, re.I), last


async def test_all_domain_responses_fill_their_placeholders(domain):
    for name in domain.responses:
        # Values the actions pass when they use these responses.
        text = await _render(
            domain, name, age="8 years old", said_back="From what you said", number="(312) 555-0142"
        )
        assert not re.search(r"\{\w+\}", text), (name, text)


async def test_intro_says_automated_and_emergency_number(domain, profile):
    text = await _render(domain, "utter_intro")
    assert "automated assistant" in text and profile.name in text
    assert "not a therapist" in text
    assert profile.crisis.emergency.phone in text


async def test_changing_the_profile_changes_the_answers(tmp_path):
    raw = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    other = copy.deepcopy(raw)
    other["name"] = "Cedar Hill Family Clinic"
    other["phone"] = "(555) 010-9999"
    other["session"].update(minutes=50, frequency="twice a week")
    other["ages"]["max_age_years"] = 6
    path = tmp_path / "other.yml"
    path.write_text(yaml.safe_dump(other), encoding="utf-8")

    before = _domain_for(ROOT / "clinic.yml", tmp_path / "a")
    after = _domain_for(path, tmp_path / "b")
    assert "60" in await _render(before, "utter_faq/session_length")
    length = await _render(after, "utter_faq/session_length")
    assert "50" in length and "60" not in length
    assert "twice a week" in await _render(after, "utter_faq/frequency")
    assert "through age 6" in await _render(after, "utter_faq/who_for")
    contact = await _render(after, "utter_faq/contact")
    assert "(555) 010-9999" in contact and raw["phone"] not in contact


CRISIS_RESPONSES = [
    "utter_crisis_self_harm",
    "utter_crisis_harm_to_child",
    "utter_crisis_domestic_violence",
    "utter_crisis_medical_emergency",
    "utter_crisis_general",
]


@pytest.mark.parametrize("name", CRISIS_RESPONSES)
async def test_every_crisis_reply_names_911_and_988_and_offers_more(domain, name):
    text = await _render(domain, name)
    assert "911" in text and "988" in text
    assert "automated assistant" in text
    assert "reach out" in text  # ends with the offer to stay or have the clinic reach out
    assert len(text) < SMS_LIMIT


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("utter_crisis_harm_to_child", "1-800-422-4453"),
        ("utter_crisis_domestic_violence", "1-800-799-7233"),
        ("utter_crisis_domestic_violence", "text START to 88788"),
        ("utter_crisis_medical_emergency", "1-800-222-1222"),
    ],
)
async def test_category_specific_lines(domain, name, line):
    assert line in await _render(domain, name)


async def test_crisis_lines_come_from_the_profile(tmp_path):
    raw = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    raw["crisis"]["child_abuse"]["phone"] = "1-800-555-0199"
    raw["crisis"]["poison"]["phone"] = "1-800-555-0123"
    path = tmp_path / "other.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    domain = _domain_for(path, tmp_path)
    assert "1-800-555-0199" in await _render(domain, "utter_crisis_harm_to_child")
    assert "1-800-555-0123" in await _render(domain, "utter_crisis_medical_emergency")


async def test_medical_refusal_gives_no_dose_and_points_to_the_doctor(domain):
    text = await _render(domain, "utter_medical_refusal")
    assert "pediatrician" in text and "911" in text
    assert not re.search(r"\d+\s*(mg|ml|milligram|teaspoon)", text, re.I)
