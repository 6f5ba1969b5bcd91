"""The safety patterns, written in a small notation that compiles to spaCy Matcher patterns.

Notation, one pattern per string, tokens separated by spaces:
- ``a|b|c``   one token whose lemma is any of these (inflections match: "hits" ~ "hit");
- ``=a|=b``   one token spelled exactly so (no lemma matching: "choking" but not "choked");
- ``x?``      that token is optional;
- ``*N``      up to N tokens of anything within one clause;
- ``**N``     up to N tokens of anything within one sentence;
- ``@CLASS``  a word class of bot/safety/word_classes.py (``@CHILD``, ``@ADULT``, ``@HARM``, ...);
- ``#NUM``    one number, in digits or words ("20", "twenty").

Each rule carries checks the detector applies after matching (see ``Rule``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety.word_classes import CLASSES


@dataclass(frozen=True)
class Rule:
    """One safety pattern and the checks it needs.

    negatable:       a "not"/"never" just before the match cancels it.
    agent:           the doer before the first token must not be a young child
                     ("my son hits me" is a behaviour question); "any" skips the check,
                     "person" additionally demands that someone is named.
    self_only:       the doer must be the caregiver ("i"), e.g. swallowing pills.
    not_self:        the doer must not be the caregiver (e.g. a child swallowed pills).
    secondary:       a danger on its own, but beside another danger it belongs to that one
                     and names no second category: a weapon in the home (a sister with a
                     gun who says she will kill herself), "i am not safe".
    not_mine:        set aside when "my" owns the body part ("marks on my neck" is the
                     caregiver's, answered by the violence rules).
    implies:         a second danger the match shows too (pills already taken: the
                     medical line follows the self-harm reply).
    min_count:       a number in the match must be at least this ("took 30 of my xanax",
                     not "took 2 tylenol").
    self_only rules are never set aside as a joke: an overdose is often told casually
    ("took like 20 of my pills lol").
    adult_yields:    ``secondary`` when the one it happens to is an adult: the drunk
                     partner who "passed out" is part of the violence, not an emergency.
    """

    category: str
    pattern: str
    negatable: bool = True
    agent: str = "any"  # "any" | "not_child" | "person"
    self_only: bool = False
    not_self: bool = False
    secondary: bool = False
    min_count: int = 0
    implies: str = ""
    not_mine: bool = False
    adult_yields: bool = False


RULES: list[Rule] = [
    # --- self harm: the caregiver's own suicidal thoughts, plans, self-injury
    Rule("self_harm", "@SELF_HARM_VERB *1 myself"),
    Rule("self_harm", "end|take my own? life"),
    Rule("self_harm", "end it all"),
    Rule("self_harm", "end|take her|his|their own? life"),
    Rule("self_harm", "want|going|plan|planning|ready|decide|think|thinking *2 end|ending it|things|everything|myself"),
    Rule("self_harm", "suicide|suicidal"),
    # Another adult's intent, as the caregiver reports it ("she says she is going to kill herself").
    Rule("self_harm", "going|want|wants|plan|planning|threaten|threatening|threatened|say|says|said|talk|talking|try|tried|trying|intend|intends|intending *2 kill|hurt|shoot|hang|end herself|himself|themselves|themself"),
    Rule("self_harm", "want|wish|ready|going|deserve|pray *3 die|dead"),
    Rule("self_harm", "not want *3 live|alive|exist|wake|here|around", negatable=False),
    Rule("self_harm", "better off *2 without|dead|gone"),
    Rule("self_harm", "no reason|point *3 live|living|alive|on"),
    Rule("self_harm", "can not go|keep on|living|live", negatable=False),
    Rule("self_harm", "self -? harm|harming|injury|injure"),
    Rule("self_harm", "take|swallow|took *3 all|whole|entire|every *3 pill|pills|bottle|meds", self_only=True),
    Rule("self_harm", "pill|pills *3 counted|saved|saving|stockpile|stockpiled|ready|lined"),
    Rule("self_harm", "overdose|overdosing", self_only=True),
    Rule("self_harm", "jump off|in *3 bridge|building|roof|train|traffic|front"),
    Rule("self_harm", "never wake up", negatable=False),
    Rule("self_harm", "not be around|here *2 anymore|tomorrow|longer", negatable=False),
    Rule("self_harm", "disappear forever|for good"),
    Rule("self_harm", "not see *2 point", negatable=False),
    Rule("self_harm", "what *2 point *3 live|living|on|anymore|trying"),
    Rule("self_harm", "cut|cutting|burn|burning *1 again|myself"),
    # Exact words: as lemmas "been" would be any "be" and "burning" any "burn" ("i am burnt out").
    Rule("self_harm", "=start|started|starting|been =cutting|burning"),
    Rule("self_harm", "cut|cutting|burn|burning|scratch|scratching my arm|arms|wrist|wrists|rist|rists|thigh|thighs|skin", self_only=True),
    Rule("self_harm", "until|till *2 bleed|bleeding", self_only=True),
    # Not "we drove over the bridge to grandma's".
    Rule("self_harm", "drive|driving|crash|crashing|car *7 on purpose"),
    Rule("self_harm", "drive|driving|crash|crashing|car *4 into|off *3 tree|wall|bridge|pole"),
    Rule("self_harm", "turn|turning|jerk|jerking|yank|yanking the wheel"),
    Rule("self_harm", "go|going|jump|jumping over the side|railing|edge *3 when|tonight|today|there", self_only=True),
    Rule("self_harm", "goodbye|goodbyes *2 letter|letters|note|notes"),
    Rule("self_harm", "say|said|saying my goodbyes"),
    # Where the goodbye letters are: "tell her the letters are in the top drawer".
    Rule("self_harm", "=letters|notes *1 be *4 drawer|desk|envelope|glovebox|nightstand|dresser|safe"),
    Rule("self_harm", "give|gave|giving *3 stuff|things|belongings away"),
    Rule("self_harm", "pill|pills *4 hand|ready|counted"),
    Rule("self_harm", "bridge|roof|ledge|edge *5 jump"),
    Rule("self_harm", "gun|pills|knife|it|blade *3 on|at|to *1 myself|head|temple|wrist|wrists"),
    Rule("self_harm", "stop|end|sleep forever"),
    Rule("self_harm", "better|well off? *3 if i *3 gone|dead|here|around|end|ended|die|died", negatable=False),
    Rule("self_harm", "better|easier|well off? *3 if i *2 not|never wake|woke", negatable=False),
    Rule("self_harm", "look|looking|search|searching|google|googling|read|reading up? ways|how to *2 die|kill|do|end"),
    Rule("self_harm", "rather be *1 dead"),
    Rule("self_harm", "done|finished with|of life|living"),
    Rule("self_harm", "tired of living"),
    Rule("self_harm", "not worth *2 living|live|it", negatable=False),
    Rule("self_harm", "noose"),
    Rule("self_harm", "rope *6 think|thinking|garage|hang|neck"),
    Rule("self_harm", "tonight|today *6 end|ending it"),
    Rule("self_harm", "end|ending it tonight|today"),
    Rule("self_harm", "not *3 be around|here *3 anymore|tomorrow|longer", negatable=False),
    Rule("self_harm", "i am|feel|be|just *3 burden"),
    Rule("self_harm", "better|fine|happier off? without me"),
    Rule("self_harm", "steer|steering|swerve|swerving|drive|driving *3 into|off *3 wall|tree|bridge|river|traffic|truck"),
    Rule("self_harm", "stockpile|stockpiled|stockpiling|hoard|hoarded|hoarding|stash|stashed|save|saved|saving *4 pill|pills|meds|tablets|medication|medicine|oxy|percs|painkillers|opioids|acetaminophen|tylenol|insulin"),
    Rule("self_harm", "how many *6 pill|pills|meds|tablets *4 enough|take", self_only=True),
    # Medicine gathered or kept to take at once ("stockpiling my own sertraline... this
    # weekend I'll take it all"); a weapon kept close ("my gun loaded in my lap").
    Rule("self_harm", "stockpile|stockpiled|stockpiling|hoard|hoarded|hoarding|stash|stashed *4 @INGESTED"),
    Rule("self_harm", "@INGESTED **14 take|swallow it|them all", self_only=True),
    Rule("self_harm", "gun|pistol|revolver|rifle *3 in|on my lap|mouth"),
    # Papers put in order for the family: "if anything happens, her birth certificate is
    # in the folder", "the life insurance papers in an envelope for my brother".
    Rule("self_harm", "if anything happen|happens **16 birth certificate|password|passwords|insurance|custody|code"),
    Rule("self_harm", "birth certificate **14 password|passwords|insurance"),
    Rule("self_harm", "birth certificate **14 phone|pin code"),
    Rule("self_harm", "password|passwords|insurance **14 birth certificate"),
    Rule("self_harm", "life insurance **10 envelope|folder|drawer|for my|sister|brother|mom"),
    Rule("self_harm", "life insurance **10 table|counter|nightstand|kitchen"),
    # Last words: "this is my last msg on here", "I'm done after tonight"; the means bought.
    Rule("self_harm", "my last message|msg|text|note *2 here|on|to|ever|anyone"),
    Rule("self_harm", "done|finished *2 after tonight|today"),
    Rule("self_harm", "buy|bought *1 rope"),
    # A place at the edge, named without a word of dying: "standing at the edge of the
    # platform for 20 min", "lying on the tracks". (Not "by the tracks": families watch
    # trains.)
    Rule("self_harm", "edge of the? platform|roof|bridge|overpass|cliff|building"),
    Rule("self_harm", "stand|standing|lie|lying|lay|laying|sit|sitting on the? train? =tracks"),
    # A farewell left with the bot for a child: "please tell Eli mommy loved him", "can
    # you tell her babushka loves her", "pls tel the kids im sory". Only when the bot is
    # asked to pass it on: "I tell him I love him every night" is a bedtime.
    Rule("self_harm", "please|pls|plz|you tell|tel my|the|our|her|his @CHILD *4 love|loved|loves|luv|luvs|sorry"),
    Rule("self_harm", "please|pls|plz|you tell|tel *4 mommy|mama|mom|daddy|dad|papa|grandma|granny|babushka|abuela|nana|grandpa *2 love|loved|loves|luv|luvs"),
    # A poison drunk or about to be, by the one writing ("gona drink the antifreez", "i
    # already drank the bleach"); a child's is the medical rules' (the doer check).
    Rule("self_harm", "@URGE|already *2 drink|drank|swallow|swallowed|chug|chugged *3 @POISON", self_only=True, implies="medical_emergency"),
    Rule("self_harm", "i *2 drank|swallowed|chugged *3 @POISON", self_only=True, implies="medical_emergency"),
    # An overdose taken or at hand, said casually: "took like 25 of my sleeping pills",
    # "downed a handful of percs", "bought enough to not wake up".
    Rule("self_harm", "take|took|swallow|swallowed|down|downed|pop|popped|ate|eat *2 #NUM *4 @INGESTED", self_only=True, min_count=6, implies="medical_emergency"),
    Rule("self_harm", "take|took|swallow|swallowed|down|downed|pop|popped|ate|eat *2 bunch|handful|lot|lots|whole|entire|rest|fistful|box|double|bottle|bottles|pack|packet|sleeve|strip *4 @INGESTED", self_only=True, implies="medical_emergency"),
    Rule("self_harm", "enough *4 not|never wake|die|end|kill", negatable=False),
    Rule("self_harm", "pill|pills|meds|tablets **16 thinking|going|want|ready|plan|planning *2 take|swallow *1 all|every|whole", self_only=True),
    # Methods and places named without a word of dying (dev set ts13, 2026-12-07): "if I
    # walk into the lake behind our apartment tonight", "the rope is ready", "nobody will
    # find me til morning", a weapon kept "for when I work up the nerve".
    Rule("self_harm", "walk|walking|step|stepping|wade|wading|drive|driving *2 into|onto *2 lake|river|ocean|sea|traffic|highway|freeway|tracks|overpass|bay", agent="not_child"),
    Rule("self_harm", "rope|noose|extension *6 ready|neck|woods|beam|rafter|rafters"),
    Rule("self_harm", "with a|the belt|rope|noose around my neck"),
    Rule("self_harm", "nobody|noone *3 find me *3 until|til|till|before morning", negatable=False),
    Rule("self_harm", "no one *3 find me *3 until|til|till|before morning", negatable=False),
    Rule("self_harm", "so someone|somebody|they *2 find me"),
    Rule("self_harm", "want|wanna|wish *2 not|never *1 wake", negatable=False),
    Rule("self_harm", "gun|handgun|pistol|rifle|shotgun|firearm **14 nerve|courage"),
    Rule("self_harm", "gun|handgun|pistol|rifle|shotgun|firearm **14 =working|=work up to it"),
    Rule("self_harm", "get|got|take|took|taken *4 gun|handgun|pistol|rifle|shotgun *2 out", self_only=True),
    Rule("self_harm", "hose **8 exhaust|tailpipe|duct"),
    Rule("self_harm", "which|what *4 deadliest|lethal|fatal"),
    Rule("self_harm", "know exactly how much|many *3 take|need"),
    Rule("self_harm", "after|once i be gone", negatable=False),
    Rule("self_harm", "last time i *1 message|text|write|talk|reach"),
    # Taken or gathered: "already took the pills, like all of them", "took way too much on
    # purpose", "swallowed everything in the medicine cabinet", "at 3 different pharmacies".
    Rule("self_harm", "took|swallowed the|my? pill|pills|meds|tablets **3 all of them", self_only=True, implies="medical_emergency"),
    Rule("self_harm", "take|took|use|used|swallow|swallowed *4 on purpose", self_only=True, implies="medical_emergency"),
    Rule("self_harm", "swallow|swallowed|take|took everything|all *4 cabinet|bathroom", self_only=True, implies="medical_emergency"),
    Rule("self_harm", "use|take|do all of it *2 at once", self_only=True),
    Rule("self_harm", "cut|cutting *1 deeper|too deep", self_only=True),
    Rule("self_harm", "@INGESTED **8 different|several|multiple|#NUM stores|pharmacies|drugstores"),
    Rule("self_harm", "pill|pills|meds|medication|medicine **10 saved|saving|stockpiled|stockpiling them"),
    # --- harm to a child: a caregiver afraid they will hurt the child, or a child hurt now
    Rule("harm_to_child", "@URGE *4 @HARM *2 @CHILD_OBJ", agent="not_child"),
    Rule("harm_to_child", "almost|nearly *2 @HARM *2 @CHILD_OBJ", agent="not_child"),
    Rule("harm_to_child", "shake|shook|shaking|shaken *2 @CHILD_OBJ", agent="not_child"),
    Rule("harm_to_child", "@HARM *3 @CHILD_OBJ", agent="not_child"),
    Rule("harm_to_child", "@HARM *2 little one|1|ones", agent="not_child"),  # "lil 1"
    # Young children left alone for days: "they are alone in the apartment 3 days now".
    Rule("harm_to_child", "children|kids|they|baby|babies|toddler|toddlers|twins *5 alone|themselves *6 days|overnight|nights"),
    Rule("harm_to_child", "children|kids|they|baby|babies|toddler|toddlers|twins *5 alone|themselves *6 since *1 sunday|monday|tuesday|wednesday|thursday|friday|saturday|yesterday|last"),
    Rule("harm_to_child", "children|kids|baby|toddler|twins **8 by themselves **8 since|for|all *2 sunday|monday|tuesday|wednesday|thursday|friday|saturday|yesterday|days|night|day"),
    # A small child at home alone now: "my 3 yr old is home by herself, the sitter didn't show".
    Rule("harm_to_child", "@CHILD *1 be *2 home|house *1 alone since|for|all|right|rn|now|because|bc|while"),
    Rule("harm_to_child", "@CHILD *1 be *2 home|house *1 by herself|himself|themselves"),
    Rule("harm_to_child", "molest|molested|molesting|rape|raped|raping"),
    Rule("harm_to_child", "=abused|=neglected|=mistreated"),
    Rule("harm_to_child", "sexually abuse|abused|abusing|touch|touching|touched|assault|assaulted"),
    Rule("harm_to_child", "touch|touching|touched|touches *4 private|privates|inappropriately|inappropriate|down|sexually|vagina|penis|butt"),
    Rule("harm_to_child", "force|forced|forcing|make|makes|made *4 sex|sexual"),
    Rule("harm_to_child", "=being abused|hurt|beaten|molested|touched|hit"),
    Rule("harm_to_child", "@CHILD_OBJ *3 abused|abuse|molested|beaten|bruise|bruises|bruised"),
    Rule("harm_to_child", "afraid|scared|worried|terrified|fear *4 lose it|control *3 @CHILD_OBJ"),
    Rule("harm_to_child", "what i *1 might|could|will|would *1 do *3 @CHILD_OBJ"),
    Rule("harm_to_child", "what my? hands *4 do *1 to"),
    Rule("harm_to_child", "afraid|scared|terrified *4 alone with *2 @CHILD_OBJ"),
    Rule("harm_to_child", "not trust myself *4 @CHILD_OBJ|around|with|alone", negatable=False),
    Rule("harm_to_child", "not safe *3 alone|around|with *3 @CHILD_OBJ", negatable=False),
    Rule("harm_to_child", "touch|touching|touched|touches *3 @CHILD_OBJ", agent="not_child"),
    Rule("harm_to_child", "touch|touching|touched|touches me", agent="person"),
    Rule("harm_to_child", "say|says|said|told|tells *2 not to tell", negatable=False),
    Rule("harm_to_child", "come|comes|came|coming into my? room *3 night"),
    Rule("harm_to_child", "mark|marks|bruise|bruises|welts|burn|burns *2 on *2 @CHILD_OBJ|body|arm|arms|leg|legs|back|hand|hands|face|neck|head|bottom|butt|cheek|chest", not_mine=True),
    Rule("harm_to_child", "sexual|porn|porno|pornography *5 @CHILD_OBJ"),
    Rule("harm_to_child", "@CHILD_OBJ *5 sexual|porn|porno|pornography"),
    Rule("harm_to_child", "do|does|did *2 bad|sexual|weird|nasty things *2 to"),
    Rule("harm_to_child", "lock|locks|locked|locking @CHILD_OBJ *2 in|inside|out"),
    Rule("harm_to_child", "@CHILD_OBJ *2 locked|shut in|inside"),
    Rule("harm_to_child", "not let|give *3 @CHILD_OBJ *2 eat|food|water", agent="person", negatable=False,
         not_self=True),
    Rule("harm_to_child", "afraid|scared|terrified|frightened of what i *2 do"),
    Rule("harm_to_child", "make|makes|made|force|forces|forced me *1 do *2 stuff|things *1 to|for|with"),
    Rule("harm_to_child", "hand|hands|pillow|blanket *2 over *2 mouth|face", agent="not_child"),
    # --- domestic violence: violence or threats now, fear of going home
    Rule("domestic_violence", "@HARM *2 me|us", agent="person"),
    Rule("domestic_violence", "throw|threw|throwing *3 at me", agent="not_child"),
    Rule("domestic_violence", "threaten|threatened|threatening|threatens *5 kill|hurt|take|shoot|stab", agent="not_child"),
    Rule("domestic_violence", "kill|murder me", agent="person"),
    Rule("domestic_violence", "afraid|scared|terrified|frightened|fear *3 go|going|come|coming home"),
    Rule("domestic_violence", "afraid|scared|terrified|frightened of my? husband|boyfriend|partner|ex|him|wife|girlfriend"),
    Rule("domestic_violence", "not safe *3 home|house|here|him", negatable=False),
    Rule("domestic_violence", "banging|pounding|kicking *3 door|window"),
    Rule("domestic_violence", "break|breaking|broke|trying|try to? get? in|into", agent="person"),
    Rule("domestic_violence", "break|breaking|broke|smash|smashing|smashed *2 things|stuff|phone|door|window", agent="person"),
    Rule("domestic_violence", "threaten|threatens|threatened|threatening me|us"),
    Rule("domestic_violence", "bruise|bruises|marks|mark *3 he|him", negatable=False),
    # On the caregiver's own body ("the marks on my neck"): harm to a child is set aside.
    Rule("domestic_violence", "mark|marks|bruise|bruises|welts *3 on|around|over my arm|arms|neck|throat|face|wrist|wrists|back|ribs|leg|legs|eye|chest"),
    Rule("domestic_violence", "punch|punching|punched|kick|kicking|kicked hole|holes *2 wall|walls|door", agent="not_child"),
    Rule("domestic_violence", "say|says|said|told *3 i|you *1 am|are|be next", negatable=False),
    Rule("domestic_violence", "i am not safe", negatable=False, secondary=True),
    Rule("domestic_violence", "find|hunt me|us", agent="person"),
    Rule("domestic_violence", "track|tracks|tracking|tracked|check|checks|reads my phone|location|texts"),
    Rule("domestic_violence", "finish *1 it|me|job", agent="person"),
    Rule("domestic_violence", "not go back *2 home|there|house", negatable=False),
    Rule("domestic_violence", "after what he|she did", negatable=False),
    Rule("domestic_violence", "if he|she *1 find|finds|found out"),
    Rule("domestic_violence", "push|pushed|pushing|shove|shoved|throw|threw *3 down *1 stairs|floor|ground|wall"),
    Rule("domestic_violence", "hand|hands *2 around|on my neck|throat"),
    Rule("domestic_violence", "has|have|had|got|with a gun|knife|weapon", secondary=True),
    Rule("domestic_violence", "knife|gun", secondary=True),
    Rule("domestic_violence", "hiding|hide *5 from him|he|husband|boyfriend|bathroom|closet"),
    Rule("domestic_violence", "hiding|hide|hid *6 until|from *1 he|him|she|her|husband|boyfriend|partner|ex|wife|girlfriend", agent="not_child"),
    Rule("domestic_violence", "not let me *2 leave|go|outside", negatable=False),
    Rule("domestic_violence", "not feel safe", negatable=False),
    Rule("domestic_violence", "put me in the ground"),
    Rule("domestic_violence", "like i am ordering *1 pizza"),  # talking in code, someone listening
    # A threat told by the one it was made to: "he said if i leave i'll wish i was dead".
    Rule("domestic_violence", "will wish *3 dead|die|born", negatable=False),
    Rule("domestic_violence", "burn *3 house|apartment|down"),
    Rule("domestic_violence", "coming|come|find|found *4 tonight|where we live|us", agent="person"),
    Rule("domestic_violence", "shove|shoves|shoving|push|pushes|pushing me *1 around", agent="person"),
    Rule("domestic_violence", "domestic violence|abuse"),
    Rule("domestic_violence", "violent|abusive *2 home|house|relationship|partner|marriage|husband|boyfriend"),
    Rule("domestic_violence", "gun|knife *3 at|to me|my|head|throat"),
    Rule("domestic_violence", "pull|pulled|pulls|hold|holding|held a gun|knife"),
    # Locked in by someone ("he locked me in"), not hiding ("i locked myself in the bathroom":
    # from a partner, or from the child by a parent who does not trust themselves).
    Rule("domestic_violence", "lock|locked|locks me|us *2 in|inside|out"),
    Rule("domestic_violence", "trap|trapped|traps me? *2 in|inside"),
    Rule("domestic_violence", "take|took|taken my phone|keys *3 not|will"),
    Rule("domestic_violence", "put|puts|putting|lay|laid|lays hands|hand|finger *1 on me", agent="person"),
    Rule("domestic_violence", "door|window *5 kick|kicking|bang|banging|pound|pounding|punch|punching", agent="not_child"),
    Rule("domestic_violence", "not let me *2 out", negatable=False),
    Rule("domestic_violence", "protective|restraining|no-contact order **12 outside|coming|texting|showed|keeps|tonight|violate|violated|violating|breaking"),
    # --- medical emergency: happening now
    Rule("medical_emergency", "not|no|stop|stopped|trouble|hard|struggling|barely *1 breathe|breathing", negatable=False),
    Rule("medical_emergency", "can not breathe", negatable=False),
    Rule("medical_emergency", "turning|turned|going|gone|is|are|look|looks|lips|baby|face *2 blue|purple|gray|grey"),
    Rule("medical_emergency", "gasp|gasping|grunting|wheezing *3 air|breath|breathe|breathing"),
    Rule("medical_emergency", "@CHILD_OBJ *3 drank|drink|swallowed|ate *2 windex|oil|cleaner|soap|lamp|bleach|alcohol|vodka"),
    Rule("medical_emergency", "not moving|breathing|responding|feeding", negatable=False),
    Rule("medical_emergency", "floppy|lifeless|grunting"),
    Rule("medical_emergency", "grab|grabbing|clutching *2 throat|neck"),
    Rule("medical_emergency", "can not make *1 sound|noise", negatable=False),
    Rule("medical_emergency", "chest *3 sucking|caving|pulling"),
    Rule("medical_emergency", "will not|not stop bleeding|bleed", negatable=False),
    Rule("medical_emergency", "burn|burned|burnt *4 bad|badly|blister|blistering|skin"),
    Rule("medical_emergency", "boiling|hot water|oil *4 on|over himself|herself"),
    Rule("medical_emergency", "outlet|electrocuted|shocked"),
    Rule("medical_emergency", "not|never stay awake", negatable=False),
    Rule("medical_emergency", "hard|difficult|trouble|tough to? wake|waking|rouse", negatable=False),
    Rule("medical_emergency", "has|got|into|found|eating *3 my|the|his|her *2 pill|pills|meds|medicine|medication", not_self=True),
    Rule("medical_emergency", "body *2 jerk|jerking|shaking|twitching|stiff"),
    Rule("medical_emergency", "eyes *2 rolled|rolling back"),
    Rule("medical_emergency", "wheeze|wheezing"),
    Rule("medical_emergency", "bottle|pack|packet *5 empty|open|opened|missing|gone"),
    # "found him with the open bottle of my iron tablets", "swallowed one of those little
    # round batteries": the object after the opening, or farther from the verb.
    Rule("medical_emergency", "open|opened|empty *1 bottle|packet|pack|container|box *4 pill|pills|tablet|tablets|meds|medicine|medication|iron|vitamin|vitamins|gummies"),
    Rule("medical_emergency", "swallow|swallowed|swallowing *7 battery|batteries|magnet|magnets|pill|pills|tablet|tablets|pod|pods", not_self=True),
    Rule("medical_emergency", "face|lips|tongue|throat|eyes *2 puffy|swollen|swelling|swell"),
    Rule("medical_emergency", "pupil|pupils"),
    Rule("medical_emergency", "stiff *3 shake|shaking|jerk|jerking"),
    Rule("medical_emergency", "pull|pulled|found|got *3 out of|in the? bathtub|pool|tub|water|lake|pond"),
    Rule("medical_emergency", "battery|batteries|magnet|magnets **12 drool|drooling|missing|swallow|swallowed|gone|throat"),
    Rule("medical_emergency", "=choking|=chokeing|=chocking"),
    Rule("medical_emergency", "unresponsive|unconscious|lifeless|limp"),
    Rule("medical_emergency", "not|never wake|respond|responding|waking|moving", negatable=False, not_self=True, adult_yields=True),
    Rule("medical_emergency", "pass|passed out|collapsed|collapse|fainted", not_self=True, adult_yields=True),
    Rule("medical_emergency", "swallow|swallowed|eat|ate|eaten|drink|drank|ingest|ingested|chew|chewed|into *4 @INGESTED", not_self=True),
    Rule("medical_emergency", "seizure|seizing|convulsing|convulsion|convulsions|seizures"),
    Rule("medical_emergency", "bleed|bleeding|blood *3 lot|alot|badly|everywhere|heavily|stop|much|gushing|pouring"),
    Rule("medical_emergency", "so|lot|lots much? of? blood"),
    Rule("medical_emergency", "is|are|be|'s choking"),
    Rule("medical_emergency", "choking on"),
    Rule("medical_emergency", "throat *2 closing|swelling|swell"),
    Rule("medical_emergency", "allergic reaction"),
    Rule("medical_emergency", "head *3 hit|injury|bleeding|crack|cracked", negatable=False),
    Rule("medical_emergency", "split|gash|gashed|cut *3 head *1 open"),
    Rule("medical_emergency", "pod|pods|battery|batteries|magnet|magnets|pill|pills *3 chewed|bitten|swallowed|missing", not_self=True),
    # "found grandma's heart pills in her purse and ate a bunch, I count maybe 8 missing"
    Rule("medical_emergency", "pill|pills|tablets|meds|medicine|medication **10 ate|swallowed|chewed *1 a? bunch|handful|lot|some|few|them|all", not_self=True),
    Rule("medical_emergency", "count|counted|counting *3 #NUM *1 missing|gone"),
    Rule("medical_emergency", "soak|soaking|soaked|soaks *2 pad|pads"),  # bleeding after birth
    Rule("medical_emergency", "pass|passing|passed *2 clot|clots"),
]  # fmt: skip


def pattern_words() -> set[str]:
    """Every word a rule or class names (the spelling corrector prefers these)."""
    words: set[str] = {w for members in CLASSES.values() for w in members}
    for rule in RULES:
        for part in rule.pattern.split():
            for alt in part.rstrip("?").split("|"):
                if alt and not alt.startswith(("@", "*")) and alt.strip("=").isalpha():
                    words.add(alt.strip("="))
    return words
