"""Sending caregiver messages over the REST webhook and recording what came back.

Every message ends as one ``Outcome``: a reply (HTTP 200), an error status, or no
response at all (connection refused or reset, timeout). The failure tests judge the
outcomes afterwards, so a send never raises.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from tests.prod_stores import REST_HEADERS

WEBHOOK = "/webhooks/rest/webhook"

# FAQ questions from the training data, two for each of the 20 FAQ topics (the first
# 20 are one per topic, so their answers differ): each gets an answer and no form or
# safety path starts; all are distinct, so a stored message names its request.
QUESTIONS = (
    "what is cpp",
    "who is cpp for",
    "describe a typical session for me",
    "can my wife come to the sessions with us",
    "what are the phases of cpp",
    "what is the first appointment like",
    "how long is a session",
    "how often are sessions",
    "how long does cpp last",
    "is cpp evidence based",
    "will we see changes in how he acts",
    "who are the therapists",
    "how much does it cost",
    "do i need a referral",
    "how does cpp work with babies",
    "how does cpp change when kids start talking",
    "does this mean something is wrong with my child",
    "who can see this chat",
    "whats your phone number",
    "what languages do you speak",
    "whats child-parent psychotherapy exactly",
    "is cpp ok for my 4 year old",
    "tell me what goes on during the sessions",
    "can both parents attend together",
    "how is the treatment laid out",
    "what should i bring to the first visit",
    "how many minutes is one appointment",
    "how many times a week do we come",
    "how many sessions total",
    "is there research on child parent psychotherapy",
    "what kind of progress can we expect from therapy",
    "what training do the clinicians have",
    "do you take insurance",
    "can i sign up myself",
    "how do you do therapy with an infant",
    "how does it work with preschoolers who can talk",
    "is my kid broken",
    "is this conversation confidential",
    "what are your hours",
    "do you have spanish speaking therapists",
)

# The first reply of a conversation introduces the bot (data/rules/intro.yml). Seen
# again later, it means the bot answered from an empty conversation.
INTRO_START = "Hi, I'm the automated assistant of"


@dataclass(frozen=True)
class Outcome:
    """What happened to one message."""

    sender: str
    text: str
    base_url: str
    status: int | None  # None: no HTTP response at all
    texts: tuple[str, ...]  # the bot's texts when status is 200
    error: str | None
    started: float  # time.monotonic()
    finished: float

    @property
    def replied(self) -> bool:
        """Accepted and answered: the message must be in the tracker store."""
        return self.status == 200

    @property
    def failed_visibly(self) -> bool:
        """The caller learnt that the message was not handled (may be retried)."""
        return self.status is None or self.status >= 500

    @property
    def ended_visibly(self) -> bool:
        """A reply with text, or an error status: never a silent 200 or a 4xx."""
        return (self.replied and bool(self.texts)) or self.failed_visibly

    def describe(self) -> str:
        return (
            f"{self.sender} {self.text!r} via {self.base_url}: status={self.status} "
            f"texts={len(self.texts)} error={self.error}"
        )


async def send(
    client: httpx.AsyncClient, base_url: str, sender: str, text: str, timeout: float = 90
) -> Outcome:
    """POST one message and record the outcome; never raises for a failed request."""
    started = time.monotonic()
    status: int | None = None
    texts: tuple[str, ...] = ()
    error: str | None = None
    try:
        resp = await client.post(
            base_url + WEBHOOK,
            json={"sender": sender, "message": text},
            headers=REST_HEADERS,
            timeout=timeout,
        )
        status = resp.status_code
        if status == 200:
            texts = tuple(m["text"] for m in resp.json() if m.get("text"))
        else:
            error = resp.text[:200]
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    return Outcome(sender, text, base_url, status, texts, error, started, time.monotonic())


async def converse(
    client: httpx.AsyncClient, base_url: str, sender: str, texts: list[str]
) -> list[Outcome]:
    """One caregiver sending ``texts`` one after the other, each after the last reply."""
    return [await send(client, base_url, sender, text) for text in texts]


def texts_for(n: int, count: int) -> list[str]:
    """``count`` distinct questions for the n-th conversation (a different rotation each)."""
    if count > len(QUESTIONS):
        raise ValueError(f"at most {len(QUESTIONS)} distinct questions per conversation")
    return [QUESTIONS[(n * 7 + k) % len(QUESTIONS)] for k in range(count)]
