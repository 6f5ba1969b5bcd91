"""The reflection prompt library: complete, kind, valid, and picked to fit the caregiver."""

from __future__ import annotations

import random
import re
from itertools import product
from pathlib import Path

import pytest

from bot.reflection.prompts import (
    AGE_BANDS,
    THEMES,
    Prompt,
    age_band_for,
    choose_prompt,
    load_prompts,
    theme_for,
)

# Words that would turn an invitation into a verdict or an instruction.
JUDGING = re.compile(
    r"\byou (should|must|need to|have to)\b|\bdisorder|\badhd\b|\bautis|\bdiagnos|\bsymptom"
    r"|\babnormal\b|\bdelay(ed)?\b|\bspoil(ed|t)?\b|\bmanipulat|\bbad (kid|child|parent)",
    re.I,
)


@pytest.fixture(scope="module")
def prompts() -> tuple[Prompt, ...]:
    return load_prompts()


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "prompts.yml"
    path.write_text(body, encoding="utf-8")
    return path


def entry(pid: str = "p-one", band: str = "toddler", theme: str = "sleep", text: str = "Hi?"):
    return f"  - id: {pid}\n    age_band: {band}\n    theme: {theme}\n    text: {text!r}\n"


# --- the library ------------------------------------------------------------------------
def test_library_is_big_enough(prompts):
    assert len(prompts) >= 45


def test_every_age_band_and_theme_has_a_prompt(prompts):
    have = {(p.age_band, p.theme) for p in prompts}
    missing = set(product(AGE_BANDS, THEMES)) - have
    assert not missing


def test_ids_are_unique_slugs(prompts):
    ids = [p.id for p in prompts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_themes_are_the_ten_agreed_in_order():
    assert THEMES == (
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
    assert AGE_BANDS == ("baby", "toddler", "preschool")


def test_texts_are_short_open_invitations(prompts):
    for p in prompts:
        assert 0 < len(p.text) < 280, p.id
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", p.text) if s]
        assert len(sentences) <= 2, p.id
        assert "?" in p.text, p.id  # an open question, not a statement about the family
        assert not JUDGING.search(p.text), p.id


def test_no_prompt_copies_the_source_texts(prompts):
    sources = Path("/work/shared/cpp-sources")
    if not sources.exists():
        pytest.skip("source texts not available here")
    corpus = " ".join(p.read_text(encoding="utf-8") for p in sources.glob("0*.txt")).lower()
    corpus = " ".join(re.findall(r"[a-z']+", corpus))
    for p in prompts:
        words = re.findall(r"[a-z']+", p.text.lower())
        for i in range(len(words) - 7):  # no run of 8 words taken from a source
            assert " ".join(words[i : i + 8]) not in corpus, p.id


def test_default_library_is_cached():
    assert load_prompts() is load_prompts()


# --- validation -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (entry(band="teen"), "p-one"),
        (entry(theme="homework"), "p-one"),
        (entry() + entry(text="Another?"), "duplicate"),
        (entry(text=""), "empty"),
        (entry(text="Why? " * 60), "characters"),
        (entry(text="You should hold her more."), "directs"),
    ],
)
def test_invalid_prompts_are_refused_naming_the_prompt(tmp_path, body, message):
    with pytest.raises(ValueError, match=message) as error:
        load_prompts(write(tmp_path, "prompts:\n" + body))
    assert "p-one" in str(error.value)


def test_unknown_band_error_names_the_band(tmp_path):
    with pytest.raises(ValueError, match="teen"):
        load_prompts(write(tmp_path, "prompts:\n" + entry(band="teen")))


def test_empty_library_is_refused(tmp_path):
    with pytest.raises(ValueError):
        load_prompts(write(tmp_path, "prompts: []\n"))


def test_valid_file_loads(tmp_path):
    loaded = load_prompts(write(tmp_path, "prompts:\n" + entry(text="What  did   you see?")))
    assert loaded == (Prompt("p-one", "toddler", "sleep", "What did you see?"),)


# --- age band ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("months", "band"),
    [
        (None, None),
        (-1, None),
        (float("nan"), None),
        (0, "baby"),
        (6, "baby"),
        (11.9, "baby"),
        (12, "toddler"),
        (24, "toddler"),
        (35.99, "toddler"),
        (36, "preschool"),
        (60, "preschool"),
        (83.9, "preschool"),
        (84, None),
        (120, None),
    ],
)
def test_age_band_for(months, band):
    assert age_band_for(months) == band


# --- theme ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("my 3 year old bites at daycare, why?", "biting_hitting"),
        ("he hits his sister and kicks me when I say no", "biting_hitting"),
        ("she screams and throws herself on the floor", "tantrums"),
        ("My 2yo has meltdowns every time we leave the park", "tantrums"),
        ("he won't let me leave at drop off", "clinging_separation"),
        ("my baby cries every time I leave the room", "clinging_separation"),
        ("she keeps playing car crash over and over since the accident", "play_replay"),
        ("he keeps making the toy cars crash over and over", "play_replay"),
        ("he won't sleep in his own bed", "sleep"),
        ("She wakes up screaming every night", "sleep"),
        ("only eats crackers", "eating"),
        ("my son refuses to eat anything but pasta", "eating"),
        ("scared of the dark", "fears"),
        ("she is terrified of dogs", "fears"),
        ("I get so angry, it reminds me of my dad", "caregiver_feelings"),
        ("after I yelled at him I said sorry and we hugged", "repair"),
        ("we had such a sweet moment, she hugged me and laughed", "good_moments"),
    ],
)
def test_theme_for_caregiver_messages(nlp, text, theme):
    assert theme_for(text, nlp) == theme


def test_snapping_at_the_child_is_about_repair_or_feelings(nlp):
    assert theme_for("I snapped at her and I feel awful", nlp) in ("repair", "caregiver_feelings")


@pytest.mark.parametrize("text", ["", "   ", "hello", "what is cpp", "when is my appointment"])
def test_theme_for_nothing_to_go_on(nlp, text):
    assert theme_for(text, nlp) is None


def test_theme_for_loads_the_project_pipeline_itself():
    assert theme_for("she bit her brother") == "biting_hitting"


# --- choosing ---------------------------------------------------------------------------
def test_choose_same_band_and_theme(prompts):
    for band, theme in product(AGE_BANDS, THEMES):
        chosen = choose_prompt(band, theme, rng=random.Random(1))
        assert (chosen.age_band, chosen.theme) == (band, theme)


def test_choose_same_theme_when_band_unknown():
    chosen = choose_prompt(None, "fears", rng=random.Random(2))
    assert chosen.theme == "fears"


def test_choose_same_band_when_theme_unknown():
    chosen = choose_prompt("baby", None, rng=random.Random(3))
    assert chosen.age_band == "baby"


def test_choose_anything_when_nothing_known(prompts):
    assert choose_prompt(None, None, rng=random.Random(4)) in prompts


def test_choose_skips_excluded_then_falls_back_to_theme(prompts):
    pair = [p.id for p in prompts if (p.age_band, p.theme) == ("toddler", "sleep")]
    chosen = choose_prompt("toddler", "sleep", exclude=pair, rng=random.Random(5))
    assert chosen.id not in pair
    assert chosen.theme == "sleep"


def test_choose_falls_back_to_band_when_theme_all_seen(prompts):
    seen = [p.id for p in prompts if p.theme == "eating"]
    chosen = choose_prompt("preschool", "eating", exclude=seen, rng=random.Random(6))
    assert chosen.id not in seen
    assert chosen.age_band == "preschool"


def test_choose_reuses_a_seen_prompt_only_when_all_are_seen(prompts):
    everything = [p.id for p in prompts]
    chosen = choose_prompt("baby", "sleep", exclude=everything, rng=random.Random(7))
    assert (chosen.age_band, chosen.theme) == ("baby", "sleep")


def test_choose_varies_with_the_random_source(prompts):
    ids = {choose_prompt("toddler", "tantrums", rng=random.Random(seed)).id for seed in range(30)}
    assert len(ids) > 1
