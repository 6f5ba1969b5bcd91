"""How the one who writes is related to the child, said in passing ("I'm his mom",
"grandma here", "my foster daughter", "soy la abuela") or given as an answer.

Why apart from names (bot.booking.said_who): its word lists are long, and the booking
form and the facts evaluation read it on its own.
"""

from __future__ import annotations

import re

from bot.booking.said_who import outside_quotes

RELATIONSHIPS = [
    (re.compile(r"\b(grand ?(ma|mother|mom|mum|pa|father|dad|parent)|granny|nana|abuel|lol[ao]\b|"
                r"g-?ma\b|g-?pa\b|gramm?a|grampa|gramps|grams\b|pop-?pop|meemaw|pawpaw)"),
     "grandparent"),
    (re.compile(r"\bfoster"), "foster parent"),
    (re.compile(r"\bstep ?(mom|mother|mum)"), "stepmother"),
    (re.compile(r"\bstep ?(dad|father)"), "stepfather"),
    (re.compile(r"\b(mom|mother|mum|mama|mamá|mami|mommy|madre)\b"), "mother"),
    (re.compile(r"\b(dad|father|papa|papá|papi|daddy|padre)\b"), "father"),
    (re.compile(r"\b(aunt|auntie|tia|tía|tita)\b"), "aunt"),
    (re.compile(r"\b(uncle|tio|tío|tito)\b"), "uncle"),
    (re.compile(r"\b(guardian|kinship|adoptive|adopted)"), "guardian"),
    (re.compile(r"\b(sister|brother|sibling)\b"), "sibling"),
    (re.compile(r"\b(parents|moms|mums|dads)\b"), "parent"),  # "we're two moms"
]  # fmt: skip
# How a caregiver says who they are in passing: "I'm his mom", "grandma here",
# "looking after my grandson", "my foster daughter".
_CAREGIVER = (
    r"(?:step\s?)?(?:mom|mother|mum|dad|father|mama|papa)|grand\w+|nana|g-?ma|g-?pa|"
    r"aunt\w*|uncle|foster \w+|guardian|legal guardian|kinship \w+"
)
_RELATION_SAID = [
    # "Mrs. Thompson, his grandmother", "it's Autumn, the foster mom", "Ruth (grandmother)",
    # "Name: Harold. Grandfather.", "the baby's mom" (dev set df1, 2026-12-07)
    re.compile(rf"\b[\w'\-]+,\s+(?:his|her|their|the)\s+({_CAREGIVER})\b", re.I),
    re.compile(rf"\(\s*({_CAREGIVER})\s*\)", re.I),
    re.compile(rf"(?:^|[.!?]\s+)({_CAREGIVER})\s*(?:[.!]|$)", re.I),
    re.compile(rf"\bthe\s+(?:baby|kid|child|little one|girl|boy)['’]s\s+({_CAREGIVER})\b", re.I),
    # "soy la mamá", "soy la tía de la niña", "soy la abuela"
    re.compile(r"\bsoy\s+(?:la|el|su)\s+(\w+)", re.I),
    re.compile(
        r"\b(?:i'?m|i am|im|as)\s+(?:(?:only|just|actually|really)\s+)?"
        r"(?:(?:his|her|their|the|a|an)\s+)?((?:[\w-]+\s)?[\w-]+)",
        re.I,
    ),
    # "I'm Greg, a foster dad", "I am Maricel, lola (grandmother) of Jiro": the name between.
    re.compile(
        r"\b(?:i'?m|i am|im)\s+(?-i:[A-Z])\w+,?\s+(?:(?:a|an|the|his|her)\s+)?((?:\w+\s)?\w+)",
        re.I,
    ),
    # "i'm dev, his dad": a name in lower case, then whose relative; "- me: Greg, her dad".
    re.compile(r"\b(?:i'?m|i am|im|me\s*:)\s+\w+,\s+(?:his|her|their)\s+((?:\w+\s)?\w+)", re.I),
    re.compile(r"\b((?:\w+\s)?\w+)\s+here\b", re.I),
    # "Ana Ruiz, mother, son Mateo 3yo": a name, then the relationship.
    re.compile(
        r"(?-i:[A-Z])[a-z'\-]+,\s+((?:step\s?)?(?:mom|mother|mum|dad|father|grand\w+|aunt\w*|"
        r"uncle|foster \w+|guardian))\b",
        re.I,
    ),
    re.compile(r"\b(single\s+(?:mom|mum|mother|dad|father))\b", re.I),
    re.compile(
        r"\b((?:step\s?)?(?:mom|mum|mother|dad|father|mama|papa)|grand\w+|aunt|auntie|uncle)"
        r"\s+(?:of|to)\s+(?:a|an|my|his|her|two|three|twins?|\d|(?-i:[A-Z][a-z]+))",
        re.I,
    ),
    # "my wife and I are both his moms"
    re.compile(r"\bboth\s+(?:his|her|their)\s+(moms|mums|dads|parents)\b", re.I),
    re.compile(
        r"\b(?:my|our)\s+(?:(?:two|three|four|2|3|4|little|baby|twin)\s+)?"
        r"(grand[\s-]?(?:son|daughter|child|kid|baby)s?|grandchildren|foster\s+\w+|"
        r"great[\s-](?:niece|nephew|grand[\s-]?\w+)s?|"
        r"step\s?(?:son|daughter|kid|child)s?|nieces?|nephews?)\b",
        re.I,
    ),
    # "my sister's boy", "my daughter's son", "my boyfriend's daughter"
    re.compile(
        r"\bmy\s+((?:sister|brother|daughter|son|partner|boyfriend|girlfriend|husband|wife|"
        r"fianc\w*)['’]?s\s+(?:son|daughter|kids?|child|children|boy|girl|baby|twins))\b",
        re.I,
    ),
    re.compile(r"\b((?:we|i)\s+adopted|our\s+adopted|adoptive)\b", re.I),
    # "im Jess, Eli's mom": the child's name, then who the writer is to them
    re.compile(
        r"\b[A-Z][a-z]+['’]s\s+((?:foster\s+|step\s?)?(?:mom|mum|mommy|mother|dad|daddy|father|"
        r"mama|papa|grandma|grandpa|grandmother|grandfather|nana|aunt|auntie|uncle|"
        r"guardian|big sister|big brother|older sister|older brother))\b"
    ),
    # "I'm mom", "we're her parents", "her dad and I"
    # "Me = mom" in clipped notes
    re.compile(
        r"(?:\b(?:i'?m|i am|im)\s+|\bme\s*(?:=|:|-)\s*)"
        r"(mom|mum|mama|dad|papa|grandma|grandpa|nana)\b",
        re.I,
    ),
    # "we're her parents", "my husband and i are foster dads to a baby boy",
    # "we're kinship carers"
    re.compile(
        r"\b(?:we'?re|we are|and i are)\s+(?:(?:his|her|their|the|two|2)\s+)?"
        r"((?:foster|kinship|adoptive)\s+\w+|(?:grand)?parents|guardians|moms|mums|dads)\b",
        re.I,
    ),
    re.compile(r"\b(?:his|her|their)\s+(?:father|mother|dad|mom)\s+and\s+(i)\b", re.I),
    # "my son", "our daughter", "my 2 kids", "my 3 yr old": the one who writes is a
    # parent (last: the patterns above are more precise; "my daughter's son" is a
    # grandchild).
    re.compile(
        r"\b(?:my|our)\s+(\d{1,2}|one|two|three|four|five)\s*-?\s*(?:yo|y/o|yr|year|month|mo|m/o)"
        r"s?(?:\s*-?\s*old)?\b",
        re.I,
    ),
    re.compile(
        r"\b(?:my|our)\s+(?:(?:two|three|four|2|3|4|little|lil|baby|twin|oldest|youngest|"
        r"middle|\d{1,2}\s*(?:yo|y/o|year old|yr old|month old|mo))\s+)?"
        r"(sons?|daughters?|kids?|child|children|boys?|girls?|baby|twins|toddler|"
        r"little one|lo|babies|newborn|infant)\b"
        r"(?!['’]s\s+(?:sons?|daughters?|kids?|child|boy|girl|baby))",
        re.I,
    ),
]
# What "my stepson", "my niece", "my son" say about the one who writes.
_RELATIVE_OF = [
    (re.compile(r"grand[\s-]?(son|daughter|child|kid|baby)"), "grandparent"),
    (re.compile(r"^(daughter|son)['’]?s\s"), "grandparent"),
    (re.compile(r"^(sister|brother)['’]?s\s"), "aunt or uncle"),
    (re.compile(r"^(partner|boyfriend|girlfriend|husband|wife|fianc\w*)['’]?s\s"),
     "stepparent"),
    (re.compile(r"step\s?(son|daughter|kid|child)"), "stepparent"),
    (re.compile(r"\b(niece|nephew)s?\b"), "aunt or uncle"),
    (re.compile(r"adopt"), "adoptive parent"),
    (re.compile(r"^(sons?|daughters?|kids?|child|children|boys?|girls?|baby|twins|toddler|"
                r"little one|lo|babies|newborn|infant|\d{1,2}|one|two|three|four|five|i)$"),
     "parent"),
    (re.compile(r"^grandparents$"), "grandparent"),
    (re.compile(r"^foster\s+parents$"), "foster parent"),
    (re.compile(r"^(parents|guardians)$"), "parent"),
]  # fmt: skip


def clean_relationship(text: str) -> str | None:
    """A short relationship word ('mom' -> 'mother'); other short answers are kept as typed."""
    lowered = text.lower().strip(" .!")
    for pattern, name in RELATIONSHIPS:
        if pattern.search(lowered):
            return name
    if 2 <= len(lowered) <= 40 and re.fullmatch(r"[^\W\d_][^\W\d_ '\-]*", lowered):
        return lowered
    # "im his nanny", "family friend, just helping the family out", "pop-pop": the first
    # words, as typed, without "I'm his".
    first = re.split(r"[,.;!(]", lowered, maxsplit=1)[0].strip()
    first = re.sub(r"^(?:i'?m|i am|im)\s+(?:(?:his|her|their|the|a|an)\s+)?", "", first)
    if re.fullmatch(r"[^\W\d_][^\W\d_'\-]*(?:\s[^\W\d_][^\W\d_'\-]*){0,2}", first):
        return first
    return None


def relationship_said(text: str) -> str | None:
    """How the caregiver is related to the child, when they said it in passing."""
    text = outside_quotes(text)
    for pattern in _RELATION_SAID:
        for match in pattern.finditer(text):
            words = match.group(1).lower()
            for relative, name in _RELATIVE_OF:
                if relative.search(words):
                    return name
            for known, name in RELATIONSHIPS:
                if known.search(words):
                    return name
    return None
