"""The console shows an urgent handoff first, linked to its flag, and marks gentle checks."""

from __future__ import annotations

from bot.booking.handoffs import create_handoff
from bot.safety.flags import record_flag
from tests.test_console_app import console, signed_in  # noqa: F401  (the fixture)


def test_an_urgent_handoff_comes_first_with_its_flag(console):  # noqa: F811
    flag = record_flag("conv-urgent", "domestic_violence", ["he will kill me"], "rules",
                       url=console.url)  # fmt: skip
    urgent = create_handoff("conv-urgent", "after_crisis_reply", "+13125550147", "now", "rest",
                            url=console.url, urgent=True, flag_id=flag.id)  # fmt: skip
    page = signed_in(console, "cleo").get("/handoffs").text
    first_row = page.index('id="handoff-')
    assert page.index(f'id="handoff-{urgent.id}"') == first_row
    assert "Urgent" in page and f"flag #{flag.id}" in page


def test_a_gentle_check_is_marked_and_kept_apart(console):  # noqa: F811
    record_flag("conv-check", "self_harm", ["back then"], "check", url=console.url, tier="check")
    page = signed_in(console, "cleo").get("/flags").text
    assert "Gentle check, no alert" in page
