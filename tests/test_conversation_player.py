"""The conversation player (bot.evaluation.conversations) against a fake bot."""

from __future__ import annotations

from bot.evaluation.conversations import (
    Conversation,
    Given,
    Player,
    Turn,
    judge,
    playable_phone,
    summary,
)

FORM = ["caregiver_name", "child_age", "contact"]


class FakeBot:
    """A booking form of three questions; "what" gets an answer; anything else falls back."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.events: list[dict] = []
        self.asking: list[str] = []

    def send(self, sender: str, channel: str, text: str) -> list[dict]:
        self.said.append(text)
        if self.asking:
            self.events.append({"event": "slot", "name": self.asking.pop(0), "value": text})
            if not self.asking:
                self.events.append({"event": "slot", "name": "booking_stage", "value": "booked"})
        elif "book" in text:
            self.asking = list(FORM)
        elif not text.startswith("what"):
            self.events.append({"event": "action", "name": "action_default_fallback"})
            self.events.append({"event": "bot", "metadata": {"utter_action": "utter_default"}})
        return []

    def tracker(self, sender: str) -> dict:
        loop = {"name": "booking_form"} if self.asking else {}
        slots = {"requested_slot": self.asking[0] if self.asking else None}
        return {"active_loop": loop, "slots": slots, "events": self.events}


def _conv(turns, answers, outcome="booked") -> Conversation:
    return Conversation(id="t", channel="web", turns=turns, answers=answers, outcome=outcome)


ANSWERS = {"first_name": "Dana", "child_age": "she's 3", "contact": "555 201 3344"}


def test_answer_all_answers_each_question_in_the_order_asked():
    bot = FakeBot()
    turns = [Turn(say="hi can i book"), Turn(answer_all=True)]
    result = Player(bot).play(_conv(turns, ANSWERS), "s")
    assert result.reached and result.sent == 4
    assert bot.said[1:] == ["Dana", "she's 3", "312 201 3344"]  # 555 is no real area code


def test_a_when_asked_turn_is_said_instead_of_the_answer_then_the_answers_go_on():
    bot = FakeBot()
    turns = [Turn(say="book please"), Turn(answer_all=True),
             Turn(say="what does it cost", when_asked="child_age")]  # fmt: skip
    Player(bot).play(_conv(turns, ANSWERS), "s")
    assert bot.said[:3] == ["book please", "Dana", "what does it cost"]


def test_a_question_without_an_answer_fails_and_says_which():
    result = Player(FakeBot()).play(
        _conv([Turn(say="book"), Turn(answer_all=True)], {"first_name": "Dana"}), "s"
    )
    assert not result.reached and result.why.startswith("asked for child_age")


def test_placeholders_take_the_given_booking():
    bot = FakeBot()
    conv = _conv([Turn(say="cancel {reference} for {contact}")], {}, outcome="answered")
    Player(bot).play(conv, "s", Given(reference="CPP-7K2Q", contact="312-555-0100"))
    assert bot.said == ["cancel CPP-7K2Q for 312-555-0100"]


def test_a_fallback_on_the_way_fails_an_answered_conversation():
    bot = FakeBot()
    result = Player(bot).play(_conv([Turn(say="yes please")], {}, outcome="answered"), "s")
    assert not result.reached and "answered" in result.why
    assert judge(_conv([], {}, outcome="answered"), {"events": []}) == ""


def test_playable_phone_keeps_real_numbers():
    assert playable_phone("call 312-555-0147") == "call 312-555-0147"
    assert playable_phone("(555) 201-3344 after 5") == "312 201-3344 after 5"
    assert playable_phone("555 019 7723 text only") == "312 519 7723 text only"


def test_summary_counts_per_outcome():
    bot = FakeBot()
    results = [Player(bot).play(_conv([Turn(say="what is it")], {}, "answered"), "s")]
    assert summary(results)["by_outcome"] == {"answered": "1/1"}


class AsksBackBot(FakeBot):
    """Asks "did you mean a first visit?" for "sign up", and books after a yes."""

    def send(self, sender: str, channel: str, text: str) -> list[dict]:
        if "sign" in text:
            self.said.append(text)
            meta = {"utter_action": "utter_did_you_mean_booking"}
            self.events.append({"event": "bot", "text": "...", "metadata": meta})
            return []
        self.events.append({"event": "bot", "text": "...", "metadata": {}})
        return super().send(sender, channel, "book" if text == "yes" else text)


def test_a_caregiver_who_came_to_book_says_yes_when_asked_back():
    bot = AsksBackBot()
    turns = [Turn(say="how do i sign him up"), Turn(answer_all=True)]
    result = Player(bot).play(_conv(turns, ANSWERS), "s")
    assert result.reached and bot.said[:2] == ["how do i sign him up", "book"]


def test_a_caregiver_who_came_for_something_else_does_not():
    bot = AsksBackBot()
    Player(bot).play(_conv([Turn(say="how do i sign him up")], {}, outcome="answered"), "s")
    assert bot.said == ["how do i sign him up"]


def test_a_miss_names_the_bots_last_reply_never_the_words():
    events = [
        {"event": "bot", "text": "some words", "metadata": {"utter_action": "utter_faq/cost"}},
        {"event": "action", "name": "action_listen"},
    ]
    why = judge(_conv([], {}, outcome="booked"), {"events": events})
    assert why == "did not reach booked (last reply utter_faq/cost)"
    assert "some words" not in why
