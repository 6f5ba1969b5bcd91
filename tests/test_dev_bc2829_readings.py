"""What the retired blind set bc28/bc29 (tests/conversations/dev_bc2829_2026-12-07.yml)
showed when studied conversation by conversation, each kept as a reading."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.booking.ages_said import age_said
from bot.nlp.ages import age_in_months
from bot.safety.asked import Asked
from bot.safety.tiers import TierPolicy, in_context


@pytest.mark.parametrize(
    ("said", "months"),
    [("9 monts", 9), ("18 mnths", 18), ("3 yeras", 36), ("6 moths", 6), ("3 weks", 36 / 52)],
)
def test_an_age_with_a_misspelled_unit_is_read_in_that_unit(said, months):
    # "9 monts" at the age question was read as 9 years and the family turned away.
    assert age_in_months(said) == pytest.approx(months)


def test_a_babys_age_with_typos_before_the_booking_is_kept():
    assert age_said("my babby is 9 monts, can i book somthing for her") == "9 monts"


def test_the_entity_ruler_knows_the_misspelled_units():
    from bot.nlp.pipeline import _UNITS

    assert {"monts", "mnths", "yeras", "weks"} <= set(_UNITS)


POLICY = TierPolicy(full_confidence=0.9, check_threshold=0.8)
FOUND = SimpleNamespace(set_aside=[], past=[], category=None)


def test_a_story_told_to_book_that_only_the_model_read_as_danger_is_checked():
    text = (
        "im the grandma of a little girl she is 4 and she has been having a real hard time "
        "with the nightmares and crying at school so i want to get her an appointment if i can"
    )
    full = {"tier": "full", "check_score": 0.5}
    said = in_context(full, text, "harm_to_child", "model", FOUND, Asked(), 0.74, POLICY)
    assert said["tier"] == "check" and said["softened_by"] == ["asks_about_a_visit"]
    # Sure, or found by the rules too, the danger stands.
    sure = in_context(full, text, "harm_to_child", "model", FOUND, Asked(), 0.95, POLICY)
    assert sure["tier"] == "full"
    both = in_context(full, text, "harm_to_child", "both", FOUND, Asked(), 0.74, POLICY)
    assert both["tier"] == "full"


def test_a_person_asked_for_beside_a_story_is_called_after_the_check():
    from actions.safety_check import request_before_check
    from tests.test_actions_safety_check import _tracker

    story = {
        "event": "user",
        "text": "he screams every time I leave and barely sleeps, we are at the end of our rope, "
        "honestly I'd rather talk to someone on the phone than type all this",
        "parse_data": {"intent": {"name": "safety_concern"},
                       "safety": {"answered": "nlu_fallback"}},
    }  # fmt: skip
    safe = {"event": "user", "text": "we're safe", "parse_data": {"intent": {"name": "i_am_safe"}}}
    events = [story, {"event": "action", "name": "action_safety_check"}, safe]
    assert request_before_check(_tracker("c", {}, events=events)) == "handoff_form"


def test_a_cancelled_visit_in_a_reflection_answer_is_the_story():
    from bot.nlp.relabel import relabelled

    meta = {"cpp_asked": {"form": "reflection_form", "slot": "refl_before"}}
    said = (
        "We had been talking at breakfast about her visit with her mother, "
        "which was cancelled again."
    )
    assert relabelled(said, "cancel_booking", meta, "faq") == "inform"
    # Asking to cancel one's own appointment there is still that.
    ask = "sorry I need to cancel my appointment on friday, something came up at work"
    assert relabelled(ask, "cancel_booking", meta, "faq") is None


def test_a_visit_told_of_as_cancelled_is_not_a_request_to_cancel():
    from bot.nlp.relabel import relabelled

    meta = {"cpp_asked": {"form": "reflection_form", "slot": "refl_before"}}
    said = "We talked at breakfast about her visit with her mother, which was cancelled again."
    assert relabelled(said, "share_moment", meta, "faq") is None
    told = "her visit with her dad got cancelled and she has been crying all week"
    assert relabelled(told, "share_moment", {}, "faq") is None
    # Asked for, it is still a cancellation.
    assert relabelled("i need to cancel my appointment", "share_moment", {}, "faq") == (
        "cancel_booking"
    )


# Readings from the facts dev set (tests/facts/dev_df1_2026-12-07.yml), each a shape.
@pytest.mark.parametrize(
    ("said", "months"),
    [
        ("2 1/2", 30), ("4 1/2 yrs", 54), ("2 yrs 6 mos", 30), ("2y 4m", 28),
        ("she is 2 years 7 months", 31), ("almost 4", 46), ("2, almost 3", 34),
        ("tiene 3 años", 36), ("18 meses", 18), ("2 años y medio", 30),
        ("a year and a half", 18), ("the baby is 6 weeks", 12 / 52 * 6),
    ],
)  # fmt: skip
def test_an_age_in_every_shape(said, months):
    assert age_in_months(said) == pytest.approx(months)


def test_an_age_from_a_date_is_counted_from_today():
    from datetime import date

    from bot.nlp.birthdays import months_by_date

    today = date(2026, 12, 7)
    assert months_by_date("she was born in March 2024", today) == 33
    assert months_by_date("DOB 04/2023", today) == 44
    assert months_by_date("turning 5 next month", today) == 59
    assert months_by_date("he'll be 4 in april", today) == 44
    assert months_by_date("grandson is 3 in june so 2 now", today) == 30
    assert months_by_date("we meet on the 3rd of june", today) is None


def test_an_answer_to_the_age_question_is_read_whole():
    from bot.booking.ages_said import age_from_answer

    # The entity ruler finds only "1/2 yrs" in "4 1/2 yrs", and "2 years" in the rest.
    assert age_from_answer("4 1/2 yrs", ["1/2 yrs"]) == 54
    assert age_from_answer("she is 2 years 7 months", ["2 years"]) == 31
    assert age_from_answer("he's 2, almost 3", ["2"]) == 34


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("THIS IS DONNA I NEED AN APPOINTMENT FOR MY GRANDSON HE IS 2", "Donna"),
        ("I AM HER GRANDPA. THANK YOU - WALTER", "Walter"),
        ("its kim. can i book a first visit", "Kim"),
        ("Good morning! Kendra here 😊 I'm a first time mom", "Kendra"),
        ("Booking request: child age 2y 4m, I'm the mother, name Ingrid.", "Ingrid"),
        ("Hello, I'm Mei, mother of a 5 month old boy.", "Mei"),
        ("im a dad (Tom) with a 20 month old daughter", "Tom"),
        ("i want to book for my grandson, 3 1/2. -george", "George"),
        ("buenas, quiero una cita para mi hija. soy la mamá, Rosa", "Rosa"),
    ],
)
def test_a_first_name_in_every_shape(text, name):
    from bot.booking.said_who import name_said

    assert name_said(text) == name


def test_who_they_are_is_no_name():
    from bot.booking.said_who import name_said

    assert name_said("i want book first visit my son 4 years. i am mother") is None


@pytest.mark.parametrize(
    ("text", "relationship"),
    [
        ("Mrs. Thompson, his grandmother", "grandparent"),
        ("Ruth (grandmother)", "grandparent"),
        ("Name: Harold. Grandfather. Child is 4.", "grandparent"),
        ("it's Autumn, the foster mom", "foster parent"),
        ("Lupe. soy la abuela", "grandparent"),
        ("hey im tiff, the baby's mom, she's 5 months", "mother"),
        ("its kim. i'm his gma", "grandparent"),
    ],
)
def test_a_relationship_in_every_shape(text, relationship):
    from bot.booking.relationship_said import relationship_said

    assert relationship_said(text) == relationship


def test_a_relationship_answer_kept_as_typed():
    from bot.booking.relationship_said import clean_relationship

    assert clean_relationship("im his nanny") == "nanny"
    assert clean_relationship("family friend, just helping the family out") == "family friend"


# From the dev conversation set bc32 (tests/conversations/dev_bc32_2026-12-07.yml).
def test_talking_it_over_first_is_a_no_to_the_offer():
    from bot.nlp.short_replies import short_reply

    context = frozenset({"thank", "goodbye"})
    assert short_reply("I'll talk to my husband first.", "nlu_fallback", 0.3, context) == "deny"
    assert short_reply("let me check with my wife", "nlu_fallback", 0.3, context) == "deny"
    said = "I'll talk to my husband first and then book"
    assert short_reply(said, "nlu_fallback", 0.3, context) is None


def test_a_name_with_more_beside_it_answers_the_name_question():
    from bot.nlp.on_screen import answer_on_screen

    asked = {"cpp_asked": {"form": "booking_form", "slot": "caregiver_name"}}
    for said in (
        "Tamsin here by the way. Best number is 312-310-4471, texting is fine",
        "Ok that's good to hear. Yes let's book. I'm Hannah, her mom. Easiest to reach me at "
        "hannah@example.com",
        "HELLO THIS IS NANA BEV",
    ):
        assert answer_on_screen(said, asked) == "inform"


def test_times_said_before_the_booking_are_kept():
    from bot.booking.known_facts import times_said

    assert times_said("We're hoping for evenings since we both work till 5") is not None
    assert times_said("i work nights so i can only do mornings right after my shift") is not None


def test_a_cancel_told_with_a_story_only_the_model_read_as_danger_is_checked():
    text = (
        "my dad had surgery back home and im flying out with the kids tomorrow morning. "
        "we'll be gone at least 3 weeks. so pls cancel our appointment"
    )
    full = {"tier": "full", "check_score": 0.5}
    said = in_context(full, text, "harm_to_child", "model", FOUND, Asked(), 0.74, POLICY)
    assert said["tier"] == "check" and said["softened_by"] == ["asks_about_a_visit"]


def test_a_fact_with_book_it_outside_a_form_asks_to_book():
    from bot.nlp.relabel import relabelled

    assert relabelled("k book one. daughter 4. im her dad", "inform", {}, "faq") == (
        "book_appointment"
    )
    assert relabelled("she cried at her last appointment", "inform", {}, "faq") is None


# From the retired blind set bc30/bc31 (tests/conversations/dev_bc3031_2026-12-07.yml).
def test_a_clock_time_in_a_wait_is_no_new_age():
    from bot.booking.ages_said import corrected_age

    said = "wait do u guys do evenings?? i get off at 2:30 but cant leave before that"
    assert corrected_age(said) is None


def test_the_writers_own_age_is_not_the_childs():
    said = "I am 78 years old. I am raising my great-granddaughter, Junie, who is 3."
    assert age_said(said) == "3"
    assert age_said("my dotter is 2 and sins her dad past away") == "2"


def test_yes_at_are_you_sure_is_a_yes_whatever_follows():
    from bot.nlp.on_screen import answer_on_screen

    asked = {"cpp_asked": {"form": "manage_booking_form", "slot": "confirm_manage"}}
    assert answer_on_screen("Yes that's what I said. Cancel it.", asked) == "affirm"
    assert answer_on_screen("no keep it", asked) == "deny"


def test_a_no_after_thanks_for_the_answer():
    from bot.nlp.short_replies import short_reply

    said = "Thank you for answer. Not now, I will talk with my husband first"
    assert short_reply(said, "nlu_fallback", 0.3, frozenset({"thank"})) == "deny"


def test_doing_better_now_misspelled_softens():
    from bot.safety.softeners import softeners

    assert softeners("he is dooing beter now and my insurence chanjed anyway", [], worst=None)


def test_a_call_in_a_reflection_answer_is_the_story():
    from bot.nlp.relabel import relabelled

    meta = {"cpp_asked": {"form": "reflection_form", "slot": "refl_next_time"}}
    said = "Next time maybe I can finish the call earlier, or hold him while I talk."
    assert relabelled(said, "request_person", meta, "faq") == "inform"
    assert relabelled("can someone call me about this", "request_person", meta, "faq") is None


def test_times_while_the_baby_naps_are_free_times():
    from bot.booking.preferences import parse_preference

    said = "Honestly anything mid-morning while the baby naps. Tues/Weds/Thurs around 10"
    assert parse_preference(said) is not None


def test_every_mix_of_the_faq_follow_up_entities_has_its_rule():
    """Rasa's rules match a message's entities as a whole set: an FAQ question with an
    age and a second ask matched none of the one-entity rules (dev set bc28)."""
    from itertools import combinations
    from pathlib import Path

    import yaml

    rules = yaml.safe_load(Path("data/rules/faq.yml").read_text())["rules"]
    followed = {
        frozenset(step.get("entities") or [])
        for rule in rules
        for step in rule["steps"][:1]
        if step.get("intent") == "faq" and {"action": "action_faq_followup"} in rule["steps"]
    }
    names = ("CHILD_AGE", "also_asked", "past_danger")
    for size in (1, 2, 3):
        for mix in combinations(names, size):
            assert frozenset(mix) in followed, mix
