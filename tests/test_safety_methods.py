"""The rule layer on self-harm told by its method, place or preparations, without a word
like "suicide" (dev set tests/safety/dev_ts13_2026-12-07.yml, by kind), and the
everyday sentences that share those words."""

from __future__ import annotations

import pytest

from bot.safety.detector import SafetyDetector


@pytest.fixture(scope="module")
def detector(nlp) -> SafetyDetector:
    return SafetyDetector(nlp)


@pytest.mark.parametrize(
    "text",
    [
        "if i walk into the river tonight nobody has to deal with me",
        "thinking of driving onto the tracks after drop off",
        "the rope is ready in the garage",
        "stood there with a rope around my neck for an hour",
        "kids are at my sisters so nobody will find me until morning",
        "ive got my dads rifle in the car, just working up to it",
        "the pistol is loaded, i just need the nerve",
        "i got the gun out of the closet again",
        "the hose and the duct tape are in the trunk",
        "been reading which of my meds are lethal together",
        "i know exactly how much it would take",
        "after i'm gone can my mom still bring her to sessions",
        "this is the last time i will message you",
        "i took the pills already, all of them",
        "took way too much on purpose and now i feel weird",
        "i swallowed everything in the bathroom cabinet",
        "bought tylenol at four different pharmacies this week",
        "been saving up my oxy since the surgery",
        "i want to not wake up tomorrow",
        "lol jk not jk i want to kill myself",
        "my kids are better of w/o me",
    ],
)
def test_a_method_place_or_preparation_is_self_harm(detector, text):
    result = detector.detect(text)
    assert result.category == "self_harm", (result.evidence, result.set_aside)


@pytest.mark.parametrize(
    "text",
    [
        "if i hear that cartoon song one more time im walking into the ocean",
        "my son walked into the lake up to his knees at the picnic",
        "my phone keeps dying, how do i save battery",
        "we drove over the bridge to grandmas",
        "we are saving up for a new car seat",
        "i know how much it costs, is there a sliding scale",
        "lol i could just die, she said the funniest thing",
    ],
)
def test_the_same_words_in_everyday_sentences_are_not_crises(detector, text):
    result = detector.detect(text)
    assert result.category is None, result.evidence


@pytest.mark.parametrize(
    "text",
    [
        "some mornings i think about yanking the wheel on the overpass",
        "im going over the railing when i get there",
    ],
)
def test_the_wheel_and_the_railing_are_self_harm(detector, text):
    assert detector.detect(text).category == "self_harm"
