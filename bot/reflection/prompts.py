"""The reflection prompt library and how one is picked for a caregiver.

Prompts live in ``prompts.yml`` (content, edited without touching code). A prompt is
chosen to fit the child's age band and what the caregiver is asking about, so the
opening question feels like it was written for their moment.
"""

from __future__ import annotations

import functools
import math
import random
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.util import filter_spans

from bot.nlp.loader import get_nlp
from bot.reflection.language import compile_pattern, lemma_lookup, parse

PROMPTS_PATH = Path(__file__).with_name("prompts.yml")
AGE_BANDS = ("baby", "toddler", "preschool")
THEMES = (
    "tantrums",
    "biting_hitting",
    "clinging_separation",
    "sleep",
    "eating",
    "fears",
    "play_replay",
    "caregiver_feelings",
    "repair",
    "good_moments",
)
MAX_TEXT_CHARS = 280
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The bot invites wondering; it never directs or labels. A prompt with these is refused.
FORBIDDEN = re.compile(r"\byou (should|must|need to|have to)\b|\bdiagnos", re.I)

# Words that point to each theme, in the notation of feelings.yml (lemmas; "a|b", "x?",
# "~" softeners, "*N" up to N words, "not" also "n't"/"never"). A match scores one point per
# word it names, so "throws herself on the floor" outweighs a lone "throws".
THEME_PATTERNS: dict[str, tuple[str, ...]] = {
    "tantrums": ("tantrum", "meltdown", "melt down", "fit", "throw|have ~ fit|tantrum",
                 "scream", "shriek", "screech", "wail", "yell", "whine", "flail", "thrash",
                 "throw herself|himself|themselves|themself on|to|onto the? floor|ground",
                 "kick and scream", "arch her|his|their back", "inconsolable", "outburst",
                 "freak out", "fall apart", "go boneless", "not stop cry", "explode"),
    "biting_hitting": ("bite", "hit", "kick", "punch", "slap", "smack", "scratch", "pinch",
                       "push", "shove", "spit", "headbutt", "pull *2 hair", "aggressive",
                       "aggression", "rough", "attack", "chomp", "throw *3 at",
                       "hurt *2 kid|kids|child|children|brother|sister|baby|friend|classmate"),
    "clinging_separation": ("cling", "clingy", "drop -? off", "dropoff", "not let me leave|go",
                            "let go", "leave the room", "out of *2 sight", "follow me",
                            "separation", "separate", "goodbye", "say bye", "i leave",
                            "without me", "miss me|mommy|mama|mom|daddy|dad|papa",
                            "only want me|mommy|mama|mom|daddy|dad|papa", "stranger",
                            "hold|hang on to|onto me", "velcro", "go back to work"),
    "sleep": ("sleep", "asleep", "bed", "bedtime", "bed time", "nap", "wake up", "wake",
              "night", "nighttime", "crib", "cot", "own bed|room", "our bed", "nightmare",
              "bad dream", "night terror", "fall asleep", "stay in bed", "co - sleep",
              "lights out", "goodnight"),
    "eating": ("eat", "food", "only eat", "meal", "mealtime", "dinner", "breakfast", "lunch",
               "snack", "picky", "fussy eater", "spit out", "bottle", "breastfeed",
               "breastfeeding", "formula", "feed", "feeding", "hungry", "plate", "vegetable",
               "veggie", "cracker", "high chair", "spoon", "milk", "sippy cup", "nurse"),
    "fears": ("scared", "scary", "afraid", "fear", "fearful", "frightened", "terrified",
              "scared|afraid|terrified|frightened of", "dark", "monster", "noise", "loud",
              "thunder", "dog", "ghost", "shadow", "startle", "jumpy", "flinch", "nervous",
              "anxious", "panic", "not go near", "hide"),
    "play_replay": ("play *3 crash|accident|fight|hospital|ambulance|police|fire|funeral|dead|"
                    "die|doctor|shot|gun|hurt|hit|yell|scream",
                    "pretend *3 crash|accident|fight|hospital|ambulance|police|fire|dead|die|hurt",
                    "over and over", "again and again", "same game|scene|story",
                    "act|acting *2 out", "replay", "reenact", "keep play|playing",
                    "doll|dolls|toy|toys|teddy|figures *3 fight|crash|die|hurt|hit|yell"),
    "caregiver_feelings": ("i feel", "my own", "childhood", "when i be *2 little|young|small|"
                           "kid|child|girl|boy|growing", "grow up", "growing up", "remind me",
                           "bring back", "my mom|mother|dad|father|parents|parent used to",
                           "trigger", "triggered", "overwhelmed", "exhausted", "burn out",
                           "wits 's? end", "end of my rope", "not cope", "my patience",
                           "i be ~ tired|exhausted|drained|angry|mad|frustrated|stressed",
                           "guilt", "guilty", "shame", "ashamed", "lonely", "no support",
                           "nobody help|helps me", "my own feelings"),
    "repair": ("i snap", "i yell|scream|shout|snap at", "lose my temper", "i lose it",
               "i lose my patience", "say|said sorry", "apologize", "apologise",
               "make up", "make it up", "reconnect", "after the fight|argument", "repair",
               "fix it|things", "i be too harsh|hard|rough", "i regret", "wish i",
               "i feel *2 awful|terrible|bad|guilty|horrible after|afterwards",
               "hug it out", "make amends"),
    "good_moments": ("good moment", "sweet", "laugh", "giggle", "smile", "cuddle", "hug",
                     "snuggle", "kiss", "proud of", "fun", "enjoy", "lovely", "special",
                     "nice moment", "play|read together", "first time", "go well",
                     "good|great|nice|lovely day", "so cute", "adorable", "melt my heart",
                     "made my day", "wonderful", "beautiful", "joy", "happy together",
                     "good time", "connected"),
}  # fmt: skip
# On a tied score the more specific theme wins: "she screams at night" is about sleep.
TIE_ORDER = ("play_replay", "repair", "biting_hitting", "clinging_separation", "sleep",
             "eating", "fears", "tantrums", "good_moments", "caregiver_feelings")  # fmt: skip


@dataclass(frozen=True)
class Prompt:
    id: str
    age_band: str
    theme: str
    text: str


# --- loading ---------------------------------------------------------------------------
def load_prompts(path: Path | None = None) -> tuple[Prompt, ...]:
    """All prompts, validated; the default library is read once per process."""
    if path is None:
        return _default_prompts()
    return _read_prompts(Path(path))


@functools.lru_cache(maxsize=1)
def _default_prompts() -> tuple[Prompt, ...]:
    return _read_prompts(PROMPTS_PATH)


def _read_prompts(path: Path) -> tuple[Prompt, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("prompts") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: expected a non-empty 'prompts' list")
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for entry in entries:
        prompt = _validated(entry)
        if prompt.id in seen:
            raise ValueError(f"prompt {prompt.id!r}: duplicate id")
        seen.add(prompt.id)
        prompts.append(prompt)
    return tuple(prompts)


def _validated(entry: object) -> Prompt:
    """One YAML entry as a Prompt, or a ValueError that names the prompt to fix."""
    if not isinstance(entry, dict):
        raise ValueError(f"prompt entry is not a mapping: {entry!r}")
    pid = str(entry.get("id") or "").strip()
    if not ID_PATTERN.match(pid):
        raise ValueError(f"prompt {pid!r}: id must be a short lower-case slug")
    band, theme = entry.get("age_band"), entry.get("theme")
    text = " ".join(str(entry.get("text") or "").split())
    if band not in AGE_BANDS:
        raise ValueError(f"prompt {pid!r}: unknown age_band {band!r}")
    if theme not in THEMES:
        raise ValueError(f"prompt {pid!r}: unknown theme {theme!r}")
    if not text:
        raise ValueError(f"prompt {pid!r}: empty text")
    if len(text) >= MAX_TEXT_CHARS:
        raise ValueError(f"prompt {pid!r}: text has {len(text)} characters, {MAX_TEXT_CHARS}+")
    forbidden = FORBIDDEN.search(text)
    if forbidden:
        raise ValueError(f"prompt {pid!r}: text directs or labels ({forbidden[0]!r})")
    return Prompt(pid, str(band), str(theme), text)


# --- age band --------------------------------------------------------------------------
def age_band_for(months: float | None) -> str | None:
    """baby < 12 months <= toddler < 36 <= preschool < 84 (CPP's 0-6 years); else None."""
    if months is None or not math.isfinite(months) or months < 0:
        return None
    if months < 12:
        return "baby"
    if months < 36:
        return "toddler"
    if months < 84:
        return "preschool"
    return None


# --- theme -----------------------------------------------------------------------------
_THEME_MATCHERS: weakref.WeakKeyDictionary[Language, tuple[Matcher, dict[str, int]]] = (
    weakref.WeakKeyDictionary()
)


def theme_for(text: str, nlp: Language | None = None) -> str | None:
    """The behaviour theme a caregiver's message is about, or None when nothing points to one."""
    if not text or not text.strip():
        return None
    nlp = nlp if nlp is not None else get_nlp()
    matcher, weights = _theme_matcher(nlp)
    doc = parse(text, nlp)
    scores = dict.fromkeys(THEMES, 0)
    by_theme: dict[str, list] = {}
    for span in matcher(doc, as_spans=True):
        by_theme.setdefault(span.label_.split(":")[0], []).append(span)
    for theme, found in by_theme.items():
        # Within a theme overlapping matches count once, the longest ("own bed" over "bed").
        scores[theme] = sum(weights[s.label_] for s in filter_spans(found))
    best = max(scores.values())
    if best == 0:
        return None
    return next(t for t in TIE_ORDER if scores[t] == best)


def _theme_matcher(nlp: Language) -> tuple[Matcher, dict[str, int]]:
    """One matcher per pipeline; each pattern keyed "theme:n" with its weight."""
    cached = _THEME_MATCHERS.get(nlp)
    if cached is not None:
        return cached
    lemma_of = lemma_lookup(nlp)
    matcher, weights = Matcher(nlp.vocab), {}
    for theme, notations in THEME_PATTERNS.items():
        for index, notation in enumerate(notations):
            key = f"{theme}:{index}"
            matcher.add(key, [compile_pattern(notation, lemma_of)])
            weights[key] = _weight(notation)
    _THEME_MATCHERS[nlp] = (matcher, weights)
    return matcher, weights


def _weight(notation: str) -> int:
    """Words a pattern requires: the more it pins down, the more it says about the theme."""
    return sum(1 for part in notation.split() if part != "~" and not part.endswith("?")
               and not part.startswith("*"))  # fmt: skip


# --- choosing --------------------------------------------------------------------------
def choose_prompt(
    age_band: str | None,
    theme: str | None,
    exclude: Iterable[str] = (),
    rng: random.Random | None = None,
) -> Prompt:
    """The best fitting prompt: band and theme, then theme, then band, then any.

    Prompts in ``exclude`` (ones the caregiver has already seen) are used only when
    nothing else is left, so a returning caregiver gets a fresh question.
    """
    rng = rng or random.Random()
    prompts = load_prompts()
    excluded = set(exclude)
    fresh = [p for p in prompts if p.id not in excluded]
    for pool in (fresh, list(prompts)):
        for fits in _tiers(age_band, theme):
            matching = [p for p in pool if fits(p)]
            if matching:
                return rng.choice(matching)
    raise LookupError("the prompt library is empty")


def _tiers(age_band: str | None, theme: str | None) -> list:
    return [
        lambda p: p.age_band == age_band and p.theme == theme,
        lambda p: p.theme == theme,
        lambda p: p.age_band == age_band,
        lambda p: True,
    ]
