"""Words that make a danger the rules or the n-gram model found ambiguous: the check, not
the full protocol.

Why: measured on the dev sets, most full-protocol false alarms name a danger only to
say it did not happen ("the baby didn't touch any of it", "nobody's hurting him"), that
it is over ("swallowed a magnet at 18 months... he's 4 now and totally fine"), that it
is a question about the future ("what should I do if my baby ever stops breathing?",
"would the therapist have to report it?"), as a joke ("we almost murdered each other
lmao") or as a figure of speech ("my wife is going to murder me, I forgot to book"). The
encoder does not tell these apart from danger (it gives them almost no chance of
"none"), but these words do. A message with them still gets help: the gentle check (one
line with 911 and 988, and "is anyone in danger right now?"), and "yes" is the full
protocol.

Only the sentences that hold the danger's words count (a "lol" about potty training
two sentences before an overdose changes nothing); recovery may also be said in the
sentence after ("...needed surgery. he's 4 now and fine"). Laughter counts only beside
a word people use in jest (kill, murder, die, strangle).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NOT_HAPPENED = (
    # "at least then he'd have nobody left to hurt" denies nothing (dev set dev_blind6).
    r"\b(?:did ?n[o']?t|didnt|never|no one(?! left)|nobody(?! left)|nobodys|not going to"
    r"|would never|wouldn'?t ever)\b[^.!?]{0,25}\b(?:touch|swallow|eat|ate|drink|drive|drove"
    r"|get|got|hit|hurt|hurting|harm|put (?:his|her) hands|lay a hand|laid a hand|stop"
    r"|stopped|fall|fell|land|landed|choke|choked|break|broke|bleed|lose (?:consciousness|it))"
    r"|\b(?:not|isn'?t|wasn'?t|is not|was not) an emergency\b"
    r"|\bno (?:trouble|problem|problems|difficulty|issues?) breathing\b"
    r"|\bbreathing (?:fine|normally|normal|ok|okay)\b"
    r"|\b(?:none|nothing|no pills?|no tablets?)(?: (?:are|were|is|was|'s))? (?:missing|gone)\b"
    r"|\b(?:seal|foil)(?: seal)? (?:was |is )?(?:still )?(?:on|intact|unbroken)\b"
    r"|\b(?:was|is|were)(?:n'?t| not) (?:drunk|high|choking|hurt)\b"
    r"|\b(?:nobody|no one|no-one)(?:'s| is| was) (?:in danger|hurt|hurting)\b"
    # "thought he was choking but he wasn't, he just gagged": the clause ends there.
    r"|\bbut (?:he|she|it|they) (?:was|is|were)(?:n'?t| not)"
    r"(?=\s*[,.;!?]|\s*$|\s+(?:he|she|it|they|just|and)\b)"
)
_OVER = (
    r"\b(?:totally|completely|perfectly|fully) (?:fine|ok|okay|recovered|healed)\b"
    r"|\b(?:fine|ok|okay|safe|healthy) now\b"
    r"|\bnow and (?:totally |completely )?(?:fine|ok|okay|healthy|safe)\b"
    r"|\brecovered\b|\bgot (?:help|treatment) and\b|\bdo+ing (?:much |way )?bett?er now\b"
    r"|\b(?:do not|don'?t|dont|no longer) feel unsafe\b"
    r"|\bbeen (?:home|healthy|fine|well|thriving)(?: and \w+)? (?:for|since|ever since)\b"
)
_WHAT_IF = (
    r"\bwhat (?:would|should|do) (?:i|we|you) do if\b|\bif (?:she|he|my \w+|the baby|they) ever\b"
    r"|\bjust in case\b[^.?!]{0,30}\bever\b|\bwhat happens if\b|\bhypothetical(?:ly)?\b"
    r"|\bhow (?:do|would|will|can) (?:i|we|you) (?:know|tell) if\b|\bwhat are the signs\b"
    r"|\b(?:when|should) (?:should |do )?(?:i|we) (?:call|go to|take \w+ to)\b[^.?!]{0,40}\bif\b"
    r"|\bin case of\b"
    r"|\b(?:let'?s say|say|suppose|supposing|imagine) (?:my|our|the|she|he|if|a)\b[^.?!]{0,100}\?"
    r"|\bwhat (?:i'?d|i would|we'?d|we would) do if\b[^.?!]{0,25}\b(?:choked|chokes|stopped|"
    r"stops|fell|falls|swallowed|swallows|had a|has a|got hurt|gets hurt|drowned|burned)\b"
    r"|\b(?:cpr|first aid) (?:class|classes|course|courses|training)\b"
    r"|\b(?:i'?d|i would|we'?d) (?:panic|freeze|freak out|not know what to do) if\b"
    r"|\b(?:the )?(?:therapist|clinician|counselor|counsellor|clinic|you|they) (?:will|would|"
    r"must|has to|have to|need to|is going to|gonna) (?:tell|call|report \w+ to|report to) "
    r"(?:the )?(?:police|cps|child services|authorities)\b"
    r"|\bif (?:she|he|i|my \w+|the baby) (?:were|was) to\b"
    r"|\b(?:do|would|will) (?:you|you guys|the therapist|they|she|he|clinicians?) "
    r"(?:have to |need to )?(?:report|call cps|call the police|tell cps|tell the police|"
    r"tell police|call child services)\b"
    r"|\bmandat(?:ed|ory) report"
    r"|\b(?:be|get|gets|got) reported\b|\btake (?:my|the|our) (?:kids|baby|children|son|daughter)"
    r" away\b"
)
# "gonna strangle him", "my wife is going to murder me, I forgot...", "I could have killed
# him": a figure of speech, unless the words around it say it is meant (someone said it,
# fear, hiding, a weapon, an injury).
_FIGURE = (
    r"\b(?:gonna|going to|will|'ll|ll|would|might|is going to|are going to) (?:literally "
    r"|actually )?(?:kill|murder|strangle|choke|skin) (?:him|her|them|each other)\b"
    r"|\b(?:could have|could've|coulda) (?:killed|murdered|strangled|choked) \w+"
    r"|\b(?:gonna|going to|will|'ll|ll|is going to|are going to) (?:literally |actually )?"
    r"(?:kill|murder|strangle) (?:me|us)\b(?=.*\b(?:forgot|forget|late|if (?:she|he|they|i)"
    r" (?:find|finds|see|sees|hear|hears)|when (?:she|he|they) (?:see|sees|find|finds)|lol|"
    r"haha|ugh|again|spent|spilled|broke (?:the|her|his|my)|missed|can'?t come)\b)"
    r"|\b(?:i'?m|im|i am) (?:so |literally )?dead\b|\bdying to\b"
    r"|(?:\b(?:is|are)|'s|'re) killing me\b"
    # Something, not someone, that will "kill us": the traffic, the bills, this heat.
    r"|\b(?:traffic|drive|commute|heat|bills?|rent|prices?|gas|wait|week|schedule|job|work|"
    r"teething|regression|paperwork|stairs)\b[^.?!]{0,25}\b(?:will|'ll|is going to|going to|"
    r"gonna) (?:kill|murder) (?:me|us)\b"
    r"|\bto death\b|\bover my dead body\b"
)
_MEANT = re.compile(
    r"\b(?:said|says|saying|told me|tells me|threaten\w*|swore|swears|promised|scared|afraid|"
    r"terrified|frightened|hiding|hide|hid|police|911|gun|knife|weapon|bruis\w*|bleeding|"
    r"hit|hits|hitting|beat|beats|beating|hurt|hurts|hurting|punch\w*|kick\w*|slap\w*|"
    r"choked|chokes|touch\w*|not safe|help me|locked|tonight|"
    r"on (?:his|her|their) way|coming (?:home|back|over))\b",
    re.IGNORECASE,
)
_LAUGH = r"\b(?:lol|lmao|lmfao|haha+|hehe|jk|rofl)\b|😂|🤣|😅"
_IN_JEST = re.compile(r"\b(?:kill|killed|murder|murdered|strangle|die|dying|dead|choke|smother)",
                      re.IGNORECASE)  # fmt: skip

KINDS: dict[str, re.Pattern[str]] = {
    "not_happened": re.compile(_NOT_HAPPENED, re.IGNORECASE),
    "what_if": re.compile(_WHAT_IF, re.IGNORECASE),
    "laughter": re.compile(_LAUGH, re.IGNORECASE),
    "figure_of_speech": re.compile(_FIGURE, re.IGNORECASE),
}
OVER = re.compile(_OVER, re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_SENTENCES_WITHOUT_EVIDENCE = 2


def softeners(text: str, evidence: Sequence[str] = (), worst: str = "") -> list[str]:
    """The kinds of softening words beside the danger in ``text`` (empty: none).

    ``evidence`` is what the rules matched. Without it (the n-gram model alone found the
    danger) a message of one or two sentences is read whole; a longer one around
    ``worst``, the sentence the encoder found most worrying, and the one on each side of
    it ("I'm dead. 4 hours of sleep in 3 days..."); else not at all.
    """
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    words = [e.lower() for e in evidence if e]
    at = [i for i, s in enumerate(sentences) if any(w in s.lower() for w in words)]
    if not at and len(sentences) <= MAX_SENTENCES_WITHOUT_EVIDENCE:
        at = list(range(len(sentences)))
    elif not at and worst:
        centre = [i for i, s in enumerate(sentences) if worst.strip() in s or s.strip() in worst]
        at = sorted({j for i in centre[:1] for j in (i - 1, i, i + 1) if 0 <= j < len(sentences)})
    scope = " ".join(sentences[i] for i in at)
    found = [kind for kind, pattern in KINDS.items() if pattern.search(scope)]
    if "laughter" in found and not _IN_JEST.search(scope):
        found.remove("laughter")
    if "figure_of_speech" in found and _MEANT.search(text):
        found.remove("figure_of_speech")  # anywhere in the message: "he said he'd kill me"
    after = " ".join(sentences[j] for i in at for j in (i, i + 1) if j < len(sentences))
    if OVER.search(after):
        found.append("over")
    return found
