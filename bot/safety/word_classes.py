"""The word classes the safety patterns name as ``@CLASS`` (bot/safety/lexicon.py): who a
child is, who an adult is, words of harm, means, poisons.

Why apart: the rules say how words combine; the classes are long vocabulary lists that
grow with every blind set, and the context checks read them too.
"""

from __future__ import annotations

CLASSES: dict[str, list[str]] = {
    "CHILD": ["son", "daughter", "kid", "kids", "child", "children", "toddler", "baby",
              "babies", "boy", "girl", "grandson", "granddaughter", "nephew", "niece",
              "infant", "newborn", "preschooler", "stepson", "stepdaughter", "old", "lo",
              "brother", "sister", "twins", "grandbaby", "foster"],
    "ADULT": ["husband", "boyfriend", "partner", "ex", "wife", "girlfriend", "dad", "daddy",
              "father", "stepdad", "stepfather", "mom", "mother", "stepmom", "uncle", "aunt",
              "grandpa", "grandfather", "grandma", "man", "guy", "neighbor", "babysitter",
              "sitter", "teacher", "someone", "somebody", "roommate", "fiance", "spouse",
              "cousin", "caregiver", "stranger", "people", "men", "coach", "mil", "fil",
              "stepmother", "inlaw", "landlord", "aide", "nanny", "staff", "woman", "lady",
              "adults", "bf", "gf", "esposo", "marido", "novio", "esposa", "novia", "pareja"],
    "PRONOUN": ["he", "she", "they"],
    "HARM": ["hit", "beat", "punch", "slap", "kick", "choke", "strangle", "shove", "push",
             "hurt", "burn", "throw", "smack", "whip", "drag", "grab", "attack", "stab",
             "abuse", "rape", "molest", "shake", "slam", "bruise", "smother", "suffocate",
             "drown", "harm", "kill", "beating", "hitting", "whoop", "whooping", "scald", "pinch",
             "chokeing", "chocking"],
    "URGE": ["want", "going", "gon", "about", "could", "might", "may", "urge", "like",
             "tempted", "close", "will", "would", "afraid", "scared", "worried", "terrified",
             "fear", "frightened", "think", "thought", "feel", "snap", "lose"],
    "CHILD_OBJ": ["him", "her", "them", "son", "daughter", "kid", "kids", "child", "children",
                  "toddler", "baby", "babies", "boy", "girl", "grandson", "granddaughter",
                  "infant", "newborn", "nephew", "niece", "old", "lo", "grandbaby",
                  "twins", "stepson", "stepdaughter"],
    "SELF_HARM_VERB": ["kill", "hurt", "cut", "harm", "burn", "hang", "shoot", "drown",
                       "starve", "poison", "stab", "suffocate", "overdose", "hit", "punch",
                       "scratch"],
    # What no one takes by mistake as an adult: drinking it is meant.
    "POISON": ["bleach", "antifreeze", "lye", "poison", "drain", "gasoline", "cleaner",
               "windex", "pesticide", "insecticide", "ammonia"],
    "INGESTED": ["pill", "pills", "bleach", "detergent", "pod", "pods", "battery", "batteries",
                 "medicine", "medication", "meds", "chemical", "chemicals", "cleaner", "poison",
                 "vitamin", "vitamins", "tylenol", "advil", "motrin", "magnet", "magnets",
                 "antifreeze", "lye", "drain", "gasoline", "lighter", "cigarette", "edible",
                 "gummies", "tablets", "benadryl", "oxy", "fentanyl", "drugs",
                 "oil", "windex", "soap", "alcohol", "vodka", "coin", "button", "perfume",
                 "mouthwash", "polish", "paint", "ibuprofen", "iron", "nyquil", "syrup",
                 "melatonin", "xanax", "adderall", "percs", "percocet", "sertraline", "zoloft",
                 "prozac", "lithium", "insulin", "edibles", "methadone", "suboxone",
                 "sleeping", "painkillers", "opioids", "klonopin", "valium", "ambien", "oxycodone",
                 "hydrocodone", "tramadol", "gabapentin", "lamotrigine", "seroquel", "trazodone",
                 "acetaminophen", "aspirin", "aleve", "naproxen", "ativan", "lorazepam"],
}  # fmt: skip
