"""The word tables the context checks (bot/safety/context.py) read: negations, past and
recent markers, idioms, a child's day, peers, hedges, colours.

Why apart: the checks are logic and the tables are vocabulary; a new idiom or a new word
for a child's day is added here without reading the checks.
"""

from __future__ import annotations

import re

from bot.safety.word_classes import CLASSES

NEGATIONS = {"not", "never", "no", "nothing", "none", "neither", "nor", "nobody"}
NEGATION_LOOKBACK = 6
NEGATION_CLOSERS = {"anymore", "more", "longer", "nemore"}
# Words that place an unnamed "he"/"she" in a young child's day ("he throws his shoes at me
# every time i say no more screens").
CHILD_CONTEXT = {"screens", "screen", "tablet", "ipad", "bedtime", "nap", "naps", "tantrum",
                 "tantrums", "meltdown", "meltdowns", "diaper", "potty", "daycare", "preschool",
                 "toys", "toy", "snack", "candy", "bath", "timeout", "cartoons", "crib",
                 "playground", "sippy", "stroller", "shoes", "carseat", "seat", "highchair",
                 "pacifier", "binky"}  # fmt: skip
PLURAL_CHILDREN = {"kids", "children", "twins", "babies", "boys", "girls"}
RECENT_BEFORE, RECENT_AFTER = 6, 3  # tokens around a match in which "still", "tonight"... count
# "*N" gaps stop at these: "she kicked when i left her" is two clauses, not "kicked ... her".
CLAUSE_BREAKS = {",", ";", "but", "though", "although", "because", "so", "-", "—", "and",
                 "when", "while"}  # fmt: skip
SUBJECTS = {"i", "he", "she", "we", "they", "you"}
SENTENCE_BREAKS = {".", "!", "?", "\n", "\n\n"}
PAST = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|seven|several|few|couple|many) (of )?"
    r"(years?|months?)( \w+)? ago\b|\blast (year|summer|winter|spring|fall|autumn)\b"
    r"|\bused to\b|\bwhen (he|she|i|we|they|my \w+) (was|were|lived)\b|\bas an? (baby|newborn|"
    r"toddler|infant)\b|\bin the past\b|\bback then\b|\byears ago\b|\bbefore (we|i|she|he) "
    r"(left|moved|got)\b|\bwe left\b|\b(we|i) (are|am|feel) safe now\b|\bno longer\b|\bpassed "
    r"away\b|\bdied\b|\bin the nicu\b|\bat birth\b|\bsince (he|she) was\b|\bwhen (he|she) was "
    r"(born|little|a baby)\b|\bbefore (he|she) (came|was)\b|\b(removed|placed) (from|with)\b"
    r"|\bthe past\b|\bhistory of\b|\bhas been sober\b|\bnow (we are|we're|i am|i'm) safe\b"
    r"|\b(was|were) (\w+ )?(abused|molested|hurt|beaten|hit|neglected|removed|exposed|assaulted)\b"
    r"|\b(saw|witnessed)\b|\b(prison|jail)\b|\bfoster care\b|\b(came|went) into care\b"
    r"|\bgrew up\b|\bback in (january|february|march|april|may|june|july|august|september|"
    r"october|november|december|the day)\b"
    r"|\b(escaped|got away from|left (him|her|my \w+|last \w+|"
    r"in (?!it\b|them\b|the\b|there\b)\w+))\b"
    r"|\ba long time ago\b|\bas a (teen|teenager|kid|child|girl|boy)\b|\bgrowing up\b"
    r"|\bwhen i was (young|little|younger|a kid|a teen|a teenager|a child|pregnant)\b"
    r"|\b(convicted|arrested|charged|sentenced)\b"
    r"|(?<!not )\b(are|am|is|feel|we're|i'm) (all )?safe( now)?\b|\bsince (that|the) night\b"
    r"|\bhave not seen (him|her|them) since\b"
    r"|\b\w+teen (years?|months?) ago\b|\b(back )?in (19|20)\d\d\b"
)
RECENT = re.compile(
    r"\b(right now|tonight|today|this (morning|afternoon|evening|week|weekend)|yesterday|"
    r"last night|still|again|keeps?|every (day|night)|everyday|always|currently|lately|"
    r"all the time|at the moment|anymore|just now|just (found|saw|noticed|caught|walked in))\b"
)
# Idioms that share a rule's words: "driving me up the wall", "won't let me out of her sight",
# "I wanted to die of embarrassment".
IDIOMS = re.compile(
    r"\b(up (the|a) wall|out of (her|his|their|my|our) (sight|site)|die (of|from) (embarrassment|"
    r"laughing|laughter|shame|boredom|cuteness)|death of me"
    r"|kill\w* (myself|ourselves) laugh\w*"
    r"|laugh\w* so hard)\b"
)
# A seizure named as the child's condition, not one happening now: "keppra for my son's
# seizures", "his seizure log", "her seizure meds".
SEIZURE_WORDS = {"seizure", "seizures", "seizing", "convulsion", "convulsions"}
CONDITION_FOLLOWERS = {"log", "logs", "diary", "meds", "med", "medicine", "medication",
                       "medications", "disorder", "doctor", "neurologist", "plan", "history",
                       "clinic", "action", "protocol", "precautions", "monitor",
                       "type"}  # fmt: skip
DETERMINERS = {"the", "a", "an", "my", "his", "her", "their", "our", "your", "that", "this"}
COLOURS = {"blue", "purple", "gray", "grey"}
JOKING = re.compile(r"\b(lol|lmao|lmfao|haha\w*|jk)\b|(?<!not )\b(kidding|joking)\b|😂|🤣|😅|💀")
# ... unless the writer takes the joke back: "lol jk not jk", "lol no fr", "for real".
SERIOUS = re.compile(r"\bnot (jk|joking|kidding)\b|\b(no|for) (fr|real)\b|\bfr fr\b")
# Exasperation, a figure of speech for a place to walk into ("if I hear that song one more
# time I'm walking into the sea"); a threat to the child in the same words is real ("I'll
# hurt him if he screams one more time"), so only self-harm's places read it.
EXASPERATION = re.compile(r"\bif\b[^.?!]{0,60}\bone more (time|thing|person|day|night|song)\b")
PEERS = {"other", "another", "classmate", "classmates", "sibling", "siblings", "sister",
         "brother", "cousin", "friend", "friends", "peers"}  # fmt: skip
# Harm to "kids" at a place where children play together is a child's behaviour ("he's
# hitting kids at daycare", "started biting kids at school") unless an adult in the same
# clause does it ("the aide hits kids at daycare").
GROUPS_OF_CHILDREN = {"kids", "children", "boys", "girls", "toddlers", "babies"}
PEER_PLACE = re.compile(
    r"^(at|in|on|from|during) (the )?(school|daycare|day care|preschool|pre ?k|pre school|"
    r"kindergarten|park|playground|camp|church|class|recess|bus)\b"
)
HEDGES = {"almost", "nearly"}
NOT_IN_TROUBLE = {"stop", "stopped", "trouble", "problem", "problems", "difficulty", "hard",
                  "struggling"}  # fmt: skip
CHOKE_FORMS = {"choking", "chokeing", "chocking"}
CHOKED_OBJECTS = {"me", "us", "him", "her", "them", "it", "my", "the", "mommy", "mom"}
HARM_VERBS = set(CLASSES["HARM"]) | {"threaten", "touch"}
COMPANION = {"with", "w"}  # a child named after "with" is with the writer, not the doer
# Words that can follow a pronoun object ("hit her hard"), unlike a possessed thing ("her plate").
OBJECT_FOLLOWERS = {"hard", "again", "so", "really", "too", "with", "when", "in", "on", "every",
                    "all", "until", "because", "while", "if", "at", "badly", "around", "up",
                    "down", "right", "now", "tonight", "today", "yesterday", "last", "for",
                    "till", "or", "a", "the"}  # fmt: skip
FIGURATIVE_FOLLOWERS = {"if", "when", "for"}
CHILD_WORDS = set(CLASSES["CHILD"])
ADULT_STATES = {"drunk", "high", "wasted", "blackout", "hammered"}
ADULT_WORDS = set(CLASSES["ADULT"])
