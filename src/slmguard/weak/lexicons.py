"""Word lists and request patterns that labeling functions call.

Every matcher is a compiled, case-insensitive, word-bounded regular expression built once at import
(or once per n-gram list); a call on a short text takes well under a millisecond, since they run
over ~60k texts.
Each returns a small result (a bool, or a short list of codes or n-grams) and abstains by design on
anything it is not sure of; the label model weighs them against each other.

Where the lists come from
-------------------------
* Profanity, sexual terms, threats, directed insults, hazard request forms, jailbreak markers and the
  benign framings were written for this project from general knowledge of English usage and of the
  hazard taxonomy (``slmguard.taxonomy.hazards``). No package supplies them. Of the profanity
  packages on PyPI, ``better-profanity`` (0.7.0, last release 2020) is a fixed censoring word list
  we could not tune or read per rule, and ``profanity-check``/``alt-profanity-check`` are trained
  scikit-learn classifiers, which as a labeling source would import another data set's human labels.
  Our own lists are short, word-bounded (no "Scunthorpe" problem), need no dependency and can be read.
* ``hate_ngram_hits`` matches whatever n-gram list the caller gives it; the project passes the
  Davidson et al. (2017) hate n-gram lexicon as a plain word list (its probabilities came from crowd
  labels, so they are not used here).
* ``REFUSAL`` and ``COMPLIANCE`` are the refusal and compliance patterns of ``slmguard.respond.refusals``
  (string matching on the openings refusals use, as in the GCG and XSTest automatic evaluations),
  moved here so both modules share one copy; judges imports them.

Slurs are left out of ``profanity`` on purpose: they are hate, which the n-gram lexicon covers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from slmguard.respond.refusals import COMPLIANCE, REFUSAL

_I = re.IGNORECASE


def _rx(*alternatives: str) -> re.Pattern[str]:
    """One case-insensitive regex that matches any of the alternatives as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", _I)


def _norm(text: str) -> str:
    # Curly apostrophes are common in model output and tweets; the patterns spell "'".
    return text.replace("\u2019", "'").replace("\u2018", "'")


# ---------------------------------------------------------------------------------------------
# 1. Profanity and explicit sexual terms
# ---------------------------------------------------------------------------------------------

# Explicit inflections instead of \w* so "shiitake"/"shitake", "Scunthorpe", "assess", "cocktail"
# and "Dickens" never match.
_PROFANITY = _rx(
    r"(?:mother)?f(?:u|\*)c?k+(?:s|ed|er|ers|ing|in|a|face|head|wit|tard|boy)?",
    r"clusterfuck", r"fuk+(?:ing|in|ed)?", r"phuck\w{0,3}",
    r"(?:bull|horse|dip|ape|chicken)?sh(?:i|\*)t(?:s|ty|tier|tiest|ting|ted|head|heads|hole|holes|load|show|storm|face|bag)?",
    r"bitch(?:es|y|ed|ing|in|ass)?", r"biatch", r"cunts?", r"twats?", r"wank(?:er|ers|ing)?",
    r"(?:ass|arse)holes?", r"(?:dumb|jack|smart|fat|lame|kiss my )?ass(?:es)?", r"bastards?",
    r"sluts?", r"slutty", r"whores?", r"hoes", r"(?:that|dat|yo|ur|this|stupid|dumb|lil) hoe",
    r"douche(?:bag|bags)?", r"dickheads?", r"cocksuckers?", r"goddamn(?:ed|it)?", r"piss(?:ed off| off)?",
    r"pussy", r"pussies", r"wtf", r"stfu", r"gtfo")

# Slang and pornographic vocabulary only. Anatomical and educational words (penis, vagina, sex
# education, sexual health, contraception) are absent on purpose: they are how safe questions talk.
_SEXUAL = _rx(
    # bare "xxx" is kisses in a tweet
    r"porn(?:o|ography|ographic|hub|s)?", r"xxx(?:-rated| rated| videos?| movies?| pics| sites?)", r"hentai",
    r"onlyfans", r"camgirls?", r"nsfw",
    r"(?:send|sending|sent) nudes", r"nudes", r"(?:nude|naked) (?:pics?|photos?|pictures?|selfies?|videos?)",
    r"sex ?tapes?", r"sexting", r"sext", r"erotica?", r"horny", r"orgasms?", r"blow ?jobs?", r"hand ?jobs?",
    r"rim ?jobs?", r"deep ?throat(?:ing)?", r"cum(?:ming|shots?)?(?! laude)", r"jizz", r"creampies?",
    r"gang ?bangs?", r"threesomes?", r"(?:anal|oral) sex", r"anal (?:play|plugs?|beads)", r"dildos?",
    r"sex toys?", r"doggy ?style", r"(?:jerk|jack)(?:ing|ed)? off", r"titties", r"tits", r"boobs",
    r"clit", r"boners?", r"hard-?ons?", r"milfs?", r"bdsm", r"pussy", r"cocksuck\w*",
    r"(?:suck|sucking|sucked|lick|licking) (?:my|his|her|your|a) (?:dick|cock|pussy|tits|balls)",
    r"(?:my|his|your|big|hard|huge) (?:dick|cock)s?", r"dick pics?", r"(?:have|having|had) sex with")


def profanity(text: str) -> bool:
    """True when the text swears (fuck, shit, bitch, cunt... and their common spellings)."""
    return bool(_PROFANITY.search(_norm(text)))


def sexual_terms(text: str) -> bool:
    """True when the text uses explicit sexual vocabulary (acts, slang for genitals, porn terms)."""
    return bool(_SEXUAL.search(_norm(text)))


# ---------------------------------------------------------------------------------------------
# 2. Caller-supplied hate n-grams (the Davidson lexicon)
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _ngram_index(ngrams: tuple[str, ...]) -> tuple[re.Pattern[str] | None, dict[str, list[str]]]:
    """A regex that finds, at each word start, the longest listed n-gram there; and, for each n-gram,
    the shorter listed n-grams that are its word prefixes (they match at the same place)."""
    canon = sorted({" ".join(g.lower().split()) for g in ngrams if g.strip()}, key=len, reverse=True)
    if not canon:
        return None, {}
    # Longest first, so the first alternative that matches is the longest; the lookahead lets
    # overlapping n-grams ("fucking hate" inside "fucking hate you") all be found.
    alt = "|".join(r"\s+".join(map(re.escape, g.split())) for g in canon)
    pattern = re.compile(r"(?<!\w)(?=(" + alt + r")(?!\w))", _I)
    listed = set(canon)
    prefixes = {g: [p for k in range(1, len(g.split()))
                    if (p := " ".join(g.split()[:k])) in listed] for g in canon}
    return pattern, prefixes


def hate_ngram_hits(text: str, ngrams: Sequence[str]) -> list[str]:
    """The listed n-grams that occur in the text as whole words, each once, in order of appearance.
    The regex is built once per distinct n-gram list."""
    pattern, prefixes = _ngram_index(tuple(ngrams))
    if pattern is None:
        return []
    found: dict[str, None] = {}
    for m in pattern.finditer(_norm(text)):
        g = " ".join(m.group(1).lower().split())
        for p in prefixes.get(g, []):
            found.setdefault(p)
        found.setdefault(g)
    return list(found)


# ---------------------------------------------------------------------------------------------
# 3. Threats and directed insults (harassment)
# ---------------------------------------------------------------------------------------------

_HARM_VERB = (r"(?:kill|murder|shoot|stab|strangle|choke|slaughter|hang|lynch|rape|torture|gut|skin|"
              r"slit|smash|bash|bury|burn|hurt|end|punch|kick|slap|stomp|cut up|run over)")
_BODY = r"(?:face|head|neck|legs?|arms?|throat|skull|jaw|teeth|kneecaps?|family|kids?|wife|husband|mom|mother|dad|house|home|car)"
_SCUM = r"(?:guy|man|woman|bitch|bastard|fucker|asshole|idiot|dude|prick|cunt|motherfucker|loser|traitor|scum|snitch|kid|girl|boy)"
_PEOPLE = (r"(?:wife|husband|boss|ex|neighbou?rs?|teacher|father|mother|dad|mom|brother|sister|roommate|"
           r"coworker|co-worker|girlfriend|boyfriend|family|landlord|classmates?|parents?|partner|stepdad|stepmom)")
_VICTIM = (rf"(?:you|u|ya|y'all|him|her|them|every(?:one|body)|all of you|(?:your|his|her|their) (?:\w+ )?{_BODY}|"
           rf"my (?:\w+ )?{_PEOPLE}|(?:that|this) (?:\w+ )?{_SCUM})")
# Hyperbole about games and sport, and "shoot you an email", are not threats.
_NOT_VIOLENT = (r"(?!'s)(?!\s+(?:an? |the )?(?:email|e-mail|message|text|note|line|dm|pm|call|invite|link|copy|"
                r"quick|reminder)\b)(?!\s+(?:in|at) (?:the )?(?:game|match|finals?|playoffs|tournament|chess|"
                r"poker|debate|polls|race|interview|exam)\b)")
_BEAT = r"beat (?:the (?:shit|hell|crap|fuck|living daylights|life) out of|\w+ (?:up|senseless|to death|to a pulp|bloody))"
_FIRST_PERSON = (r"(?:i|we)(?:'ll| will| shall|'m going to| am going to|'re going to| are going to|'m gonna|"
                 r"'?m gonna| am gonna|'re gonna| are gonna| gonna| wanna| want to| plan to|'d love to)")
_THREAT = re.compile("|".join([
    rf"\b{_FIRST_PERSON}\s+(?:\w+\s+){{0,2}}?(?:{_HARM_VERB}\s+{_VICTIM}\b{_NOT_VIOLENT}|{_BEAT}\s*{_VICTIM}?)",
    r"\b(?:better )?watch your back\b", r"\bi know where (?:you|u|he|she|they) (?:live|lives|sleep|sleeps|work|works)\b",
    r"\bsleep with one eye open\b", r"\byour days are numbered\b", r"\byou won't see (?:it|me|us) coming\b",
    r"\b(?:i|we)(?:'ll| will|'re going to| are going to|'m going to| am going to) (?:find|hunt) (?:you|him|her|them) down\b",
    r"\b(?:i|we)(?:'ll| will) make (?:you|him|her|them) (?:suffer|bleed|pay)\b",
    r"\bput a bullet (?:in|through) (?:your|his|her|their)\b", r"\bblow (?:your|his|her|their) (?:head|brains) off\b",
    r"\bslit (?:your|his|her|their) throats?\b",
    r"\byou(?:'re| are) (?:so )?dead(?: meat| man| woman)?\b(?! (?:to me|wrong|right|serious|tired|on|set|last|center|end))",
    r"\byou(?:'ll| will| are going to|'re going to|'re gonna| are gonna| gonna) (?:pay for (?:this|that)|be sorry)\b(?!\s*\w)",
    r"\b(?:i )?hope (?:you|u|he|she|they) (?:die|dies|get(?:s)? (?:shot|killed|raped|stabbed|hit by a (?:car|bus|truck)))\b",
    r"\b(?:someone|somebody|anyone|people|we|y'all) (?:should|needs? to|ought to|oughta|gotta|has to|have to|must) (?:just )?"
    rf"(?:kill|shoot|stab|hang|murder|lynch|beat up|punch|assassinate|string up|burn|bomb) (?:him|her|them|you|"
    rf"(?:that|this|the) (?:\w+ )?(?:{_SCUM}|president|senator|judge|cop|person))\b",
    rf"\b(?:he|she|they|you|u|(?:that|this) {_SCUM})"
    r"(?:'s| is|'re| are)? (?:should|deserves? to|needs? to|ought to|must|oughta) (?:be )?"
    r"(?:shot|killed|hanged|hung|lynched|murdered|beaten|raped|stabbed|burned alive|die)\b",
]), _I)
_CONDITIONAL = re.compile(r"\b(?:if|unless|without|otherwise|eventually|someday|one day|all|everyone|when|or)\b", _I)
_YOU_DIE = re.compile(r"\byou(?:'ll| will| are going to|'re going to|'re gonna| are gonna| gonna) die\b", _I)


def threat(text: str) -> bool:
    """True for threats of violence aimed at someone ("I will kill you", "I know where you live",
    "someone should shoot him"), first or third person."""
    text = _norm(text)
    if _THREAT.search(text):
        return True
    # "You will die" is a threat on its own but a warning after "if"/"without": look just before it.
    return any(not _CONDITIONAL.search(text[max(0, m.start() - 50):m.end() + 15]) for m in _YOU_DIE.finditer(text))


_STRONG = (r"(?:idiots?|morons?|imbeciles?|cretins?|retards?|dumb ?ass(?:es)?|jackass(?:es)?|(?:ass|arse)holes?|"
           r"bitch(?:es)?|cunts?|twats?|pricks?|dickheads?|bastards?|scumbags?|scum|piece of (?:shit|crap|garbage|trash)|"
           r"waste of (?:space|oxygen|air|skin|life)|losers?|douche(?:bag)?s?|whores?|sluts?|skanks?|dipshits?|"
           r"shitheads?|fuckfaces?|motherfuckers?|fuckers?|degenerates?|halfwits?|nitwits?|dimwits?|numbskulls?|"
           r"subhumans?|parasites?)(?!\s+(?:about|and moan|out))")
_WEAK = r"(?:pig|freak|creep|clown|coward|fool|failure|disgrace|joke|hypocrite|liar|trash|garbage|snake|rat|fraud|nobody|nothing)"
_ADJ = (r"(?:stupid|dumb|ugly|fat|pathetic|worthless|useless|disgusting|retarded|brainless|clueless|brain-?dead|"
        r"ignorant|idiotic|moronic|spineless|gutless|lazy|filthy|dirty|fucking|fuckin|little|sorry|lame|sad|"
        r"miserable|insufferable|delusional|shitty|trashy|nasty|gross|repulsive|hideous|vile)")
_ADJ_END = (r"(?:stupid|dumb|ugly|fat|pathetic|worthless|useless|disgusting|retarded|brainless|brain-?dead|"
            r"idiotic|moronic|spineless|insufferable|delusional|hideous|repulsive|vile|trash|garbage)")
_FILL = r"(?:(?:such|so|really|truly|a|an|the|one|just|nothing but|literally|complete|total|absolute|utter|biggest|dumbest)\s+)*"
_NOT_A_NAME = r"(?!(?:what|who|which|it|this|that|there|here|life|karma|revenge|everything|nothing|everyone|something|mine|the|a|an)\b)"
_INSULT = re.compile("|".join([
    # "you're a stupid idiot", "you are useless" (but not "you're not stupid")
    rf"\b(?:you|u|ya)(?:'re| are| r|re)\s+(?!not\b|never\b){_FILL}(?:{_ADJ}\s+){{0,2}}(?:{_STRONG}|{_WEAK}|{_ADJ_END})\b",
    rf"\b(?:you|u|ya)\s+(?:{_ADJ}\s+){{0,3}}{_STRONG}\b",  # vocative: "you idiot", "you stupid bitch"
    r"\bare (?:you|u) (?:stupid|dumb|retarded|an idiot|a moron|braindead|brain-dead)\b",
    rf"\byou look like (?:an? )?(?:{_ADJ}\s+)?(?:{_STRONG}|{_WEAK})\b",
    # "@user is a worthless piece of trash", "she's such a bitch", "Dave is an idiot"
    rf"(?:@\w+|\b(?:he|she)|\b(?:this|that) (?:guy|girl|dude|chick|woman|man|kid)|\byour (?:mom|mother|dad|father|wife|"
    rf"husband|sister|brother|girlfriend|boyfriend|boss)|\b{_NOT_A_NAME}(?-i:[A-Z][a-z]+)(?: (?-i:[A-Z][a-z]+))?)"
    rf"\s*(?:is|'s|was)\s+{_FILL}(?:{_ADJ}\s+){{0,2}}{_STRONG}\b",
    r"(?:^|[.!?,]\s*|\bgo\s+|\bjust\s+|\bplease\s+|\bpls\s+|\bshould\s+|\bwhy don'?t you\s+)(?:go\s+)?(?:kill|hang|shoot|neck|off) (?:yo)?urself\b",
    r"\bkys\b", r"\bgo (?:die|drink bleach|jump off a (?:bridge|cliff))\b", r"\bdie in a (?:hole|fire|ditch)\b",
    r"\b(?:fuck|screw) (?:you|u|off)\b", r"\b(?:eat shit|piss off|go to hell)\b", r"\bsuck my (?:dick|cock|balls)\b",
    r"(?<!if )(?<!like )(?<!that )(?<!think )\b(?:nobody|no one|no-one|noone) (?:likes|loves|cares about|wants|needs|will ever (?:love|like|want)) (?:you|u)\b",
    r"\b(?:everyone|everybody) hates (?:you|u)\b", r"\b(?:the )?world (?:would be|is|'d be) better (?:off )?without (?:you|u)\b",
    r"\byou (?:don't|do not) deserve to (?:live|exist|be alive)\b", r"\byou should (?:just )?(?:die|not exist|never have been born)\b",
    r"\b(?:do|doing) (?:us|everyone|the world) a favou?r and (?:die|disappear|kill yourself|shut up)\b",
    r"\bshut (?:the fuck |the hell |your (?:mouth|face|trap) )?up,?\s+(?:you|u)\b(?!'re|'ll| are| guys| two| all| know| see| will)",
]), _I)


def directed_insult(text: str) -> bool:
    """True for abuse aimed at the addressee or a named person: "you're an idiot", "@user is a
    worthless piece of trash", "go kill yourself", "nobody likes you"."""
    return bool(_INSULT.search(_norm(text)))


# ---------------------------------------------------------------------------------------------
# 4. Hazard request forms
# ---------------------------------------------------------------------------------------------

_IMPERATIVE = (r"(?:write|create|develop|design|provide|give|outline|generate|draft|compose|produce|instruct|teach|"
               r"explain|describe|suggest|show|post|publish|make|build|code|program|plan|offer|list|detail)")
# Where a sentence starts (the text's start, or after . ! ? : or a newline, a quote or a bracket).
_START = r"(?:(?<=^)|(?<=[.!?:\n\"'(])|(?<=[.!?:\n\"']\s)|(?<=[.!?:\n]\s\s))(?:please\s+)?"
# A request or stated intent: the hazard patterns below all start from one of these (or from a verb
# opening a sentence), so a topic word alone never fires.
_ASK = (r"(?:how (?:do|can|could|would|should|might|will) (?:i|we|you|one|someone|somebody|a person)|how to|how i can|"
        r"ways? to|steps? (?:to|for)|step[- ]by[- ]step|(?:best|easiest|quickest|fastest|simplest|cheapest) way to|"
        r"tell me how to|show me how to|teach me (?:how )?to|explain how to|instructions (?:for|on|to)|"
        r"guide (?:to|for|on)|tutorial (?:on|for)|recipe for|walk me through|help me|"
        r"i (?:want|need|would like|wanna|plan|intend|am going|'m going|am trying|'m trying) to|i'm gonna|i am gonna|"
        r"(?:i|we) (?:want|need) you to|i'd like you to|your task is to|where (?:can|do|could|should) i|can you|"
        rf"could you|please|{_START}{_IMPERATIVE})")
# A word between the request and the act; a negation or "stop" there turns the request around
# ("how do I stop wanting to...", "please don't...").
_WORD = r"(?!(?:don't|dont|do|not|never|stop|no|without|avoid)\b)[\w'-]+"
# Gap text that must not contain a protective or analytic verb ("write an article on how to spot fake news").
_SAFE = (r"(?:(?!\b(?:detect\w*|identif\w*|spot\w*|recogni[sz]\w*|debunk\w*|counter\w*|combat\w*|fight\w*|flag\w*|"
         r"classif\w*|filter\w*|prevent\w*|report\w*|avoid\w*|expos\w*|analy[sz]\w*|stud\w+|research\w*|discourag\w*|"
         r"harmful|dangers?|wrong)\b)[^.?!])")
_MAKE = (r"(?:write|create|compose|generate|draft|post|publish|make|produce|design|develop|give|craft|record|share|"
         r"spread|send|tweet|come up with|tell)")


def _req(body: str, gap: int = 4) -> str:
    """A request prefix, at most `gap` words, then body."""
    return rf"\b{_ASK}(?:\s+{_WORD}){{0,{gap}}}?\s+(?:{body})"


def _act(verbs: str) -> str:
    """One of the verbs as a request: opening a sentence ("Write a tweet..."), or after a request
    prefix ("can you write...", "how do I print...")."""
    return rf"(?:{_START}|\b{_ASK}(?:\s+{_WORD}){{0,4}}?\s+)(?:{verbs})\b"


_IWP_OBJ = (r"(?:(?<!bath )(?<!seed )(?<!photo )(?<!f-)(?:pipe |nail |car |fertili[sz]er |dirty |suicide |letter |homemade |"
            r"atomic |nuclear )?bombs?|explosives?|ieds?|detonators?|nerve (?:gas|agents?)|sarin|vx|tabun|mustard gas|"
            r"chlorine gas|anthrax|ricin|botulinum(?: toxin)?|smallpox|bioweapons?|biological weapons?|chemical weapons?|"
            r"nuclear (?:weapons?|devices?)|radiological (?:weapons?|devices?)|weapons-grade \w+|enriched uranium|plutonium|"
            r"thermite|napalm|molotov(?: cocktails?)?|tatp|c-?4|semtex|nitroglycerine?|pathogens?|weapons? of mass destruction)")
_VCR_TARGET = (rf"(?:someone|somebody|people|him|her|them|a (?:person|man|woman|child|kid|baby|cop|police officer|guard|"
               rf"neighbou?r|stranger|human|homeless (?:man|person))|my (?:\w+ )?{_PEOPLE}|(?:my|his|her|our|the|a|"
               rf"(?:my )?neighbou?r'?s'?) (?:dog|cat|puppy|kitten|horse|pet)|the (?:president|senator|judge|witness|guard|"
               rf"cop|officer|teacher|mayor|prime minister|ceo)|a (?:high-profile |public |prominent )?(?:individual|figure|"
               rf"politician|official|journalist|activist)|animals|pets|(?:someone|somebody|a person)'?s (?:food|drink|"
               rf"coffee|tea|water))\b(?!'s)")
_DRUG = r"(?:meth|methamphetamine|crystal meth|crack cocaine|cocaine|heroin|fentanyl|lsd|mdma|ecstasy|ghb|pcp)"
_GROUP = (r"(?:jews|muslims|blacks|black people|immigrants|mexicans|arabs|asians|gays|gay people|trans people|"
          r"transgender people|women|africans|roma|gypsies|hispanics|latinos|chinese|indians|refugees|christians)")
_MINOR = (r"(?:minors?|child(?:ren)?|kids?|underage(?: \w+)?|(?:[1-9]|1[0-7]|nine|ten|eleven|twelve|thirteen|"
          r"fourteen|fifteen|sixteen|seventeen)[- ]y(?:ea)?r[- ]olds?|(?:[1-9]|1[0-7]) ?yo|pre-?teens?|tweens?|"
          r"young teens?|teen(?:age)? (?:girls?|boys?)|schoolgirls?|schoolboys?|little (?:girls?|boys?)|"
          r"young (?:girls?|boys?)|lolis?|jailbait|my (?:step)?(?:daughter|son|niece|nephew))\b(?!'s)")
_SEXPLICIT = (r"(?:sex(?:ual(?:ly)?)? (?:story|stories|scenes?|roleplay|role-play|acts?|content|fantas(?:y|ies)|photos?|"
              r"pictures?|pics|images?|videos?|relationship|encounter|things)|sexy|erotic(?:a)?|explicit|nudes?|naked|"
              r"porn\w*|lewd|nsfw|smut\w*|seduc\w+|(?:have|having|had) sex|sleep(?:ing)? with|make out|hook(?:ing)? up|"
              r"in bed|undress\w*|molest\w*)")
_PERSON_KIND = (r"(?:ex|ex-\w+|neighbou?r|coworker|co-worker|boss|teacher|classmate|crush|landlord|tenant|employee|"
                r"girlfriend|boyfriend|wife|husband|bully|stalker|girl|guy|woman|man|person|user|streamer|journalist|"
                r"youtuber|nurse|stranger)")
_PRV_DATA = (r"(?:(?:home|house|current|residential|private|personal) address(?:es)?|(?:personal |private |cell |"
             r"cellphone |mobile |home )?phone numbers?|social security (?:numbers?|no)|ssns?|date of birth|medical "
             r"records|bank (?:account|details|statements?)|credit card (?:number|details)|license plate|email address)")
_NAME = (r"(?-i:[A-Z][a-z]+) (?-i:[A-Z][a-z]+)(?! (?-i:House|Building|Office|Museum|Hotel|Center|Centre|Inc|Corp|"
         r"Company|Restaurant|Airport|University|College|Hospital|Library|Embassy|Department|Council|Police))")
_SPOUSE = r"(?:wife|husband|partner|girlfriend|boyfriend|ex|spouse|employee|neighbou?r|roommate|coworker|boss|crush|fianc[eé]e?)"
_CONTENT = r"(?:full|complete|entire|whole|exact|unabridged)"
_ENCOURAGE = r"(?:incit\w*|encourag\w*|promot\w*|glorif\w*|romantici[sz]\w*|convinc\w*|manipulat\w*|pressur\w*|persuad\w*|call(?:s|ing)? for)"

_CSE_VERBS = (r"write|describe|generate|create|roleplay|role-play|pretend|imagine|show|send|share|find|get|download|tell|"
              r"draw|make|produce|buy|see|watch")

_HAZARD_RULES: dict[str, list[str]] = {
    "vcr": [
        _req(rf"(?:kill|murder|assassinate|stab|strangle|choke|suffocate|smother|poison|shoot|kidnap|abduct|torture|"
             rf"behead|dismember|beat up|maim|attack|hurt|harm|injure|run over|drown|burn)(?:s|ing)?\s+{_VCR_TARGET}"),
        rf"(?:{_act(_MAKE)}{_SAFE}{{0,40}}?\b{_ENCOURAGE}|{_act(_ENCOURAGE)})\b{_SAFE}{{0,40}}?\b(?:violence|attacks?|"
        rf"terrorism|a massacre|killings?) (?:against|on|towards?)\b",
        rf"{_act(_MAKE)}[^.?!]{{0,30}}\b(?:threatening|threatens?) to (?:kill|harm|hurt|attack|rape|bomb)\b",
        _req(r"(?:hide|dispose of|get rid of|dissolve|bury) (?:a|the) (?:dead )?(?:body|corpse)"),
        _req(r"(?:kill|murder|poison|stab|shoot)\w*\b[^.?!]{0,40}\b(?:without (?:getting caught|leaving (?:a trace|evidence)|"
             r"anyone (?:knowing|noticing))|and get away with it)"),
        _req(r"(?:plan|carry out|commit|organi[sz]e|do) (?:a |an )?(?:mass shooting|school shooting|terror(?:ist)? attack|"
             r"massacre|bombing|stabbing spree)|shoot up (?:a|my|the) (?:school|church|mosque|synagogue|mall|concert|office)"),
    ],
    "iwp": [
        _req(rf"(?:make|build|assemble|create|construct|produce|synthesi[sz]e|manufacture|detonate|weaponi[sz]e|cultivate|"
             rf"culture|grow|enrich|obtain|acquire|get|buy|deploy|release|spread|disperse|extract|purify|refine)"
             rf"\b[^.?!]{{0,30}}?\b{_IWP_OBJ}\b"),
        rf"\b(?:explain|describe|tell me|show me) how\b[^.?!]{{0,30}}\b{_IWP_OBJ}\b[^.?!]{{0,15}}\b(?:are|is|gets?) "
        rf"(?:made|built|assembled|synthesi[sz]ed|produced|weaponi[sz]ed)\b",
    ],
    "ncr": [
        _req(rf"(?:cook|make|synthesi[sz]e|produce|manufacture|sell|buy|smuggle|get|obtain|deal|traffic)\b[^.?!]{{0,20}}?\b{_DRUG}\b"),
        _req(r"(?:launder|clean|wash) (?:money|cash|funds|the money|drug money)|commit(?:ting)? (?:\w+ )?(?:fraud|theft|"
             r"insider trading|identity theft|tax evasion|burglary|arson|vandalism|a (?:crime|robbery|burglary))|"
             r"vandali[sz]e|smuggle (?:drugs|weapons|guns|people|contraband|\w+ across)|evade (?:the police|law enforcement|"
             r"detection|airport security|customs)|(?:launch|perform|carry out|conduct|execute) (?:a |an )?(?:ddos|dos|"
             r"cyber ?attack|phishing (?:attack|campaign)|ransomware attack)|exploit (?:a |the |known |software )?"
             r"vulnerabilit(?:y|ies)|(?:hack|hacks|hacking) (?:a |an |the |into )?(?:\w+ )?(?:website|account|network|"
             r"server|database|system|phone|computer|email)s?|steal(?:s|ing)? (?:\w+ )?(?:personal|sensitive|private|"
             r"confidential|credit card|user|customer)(?: \w+)? (?:information|data|details|passwords?|identit\w+)|"
             r"manipulate (?:the )?(?:stock|financial) markets?|use (?:phishing|ransomware|malware|spyware|a keylogger|"
             r"sql injection|credential stuffing)|(?:set up|run|start|build) (?:a |an )?(?:\w+ )?(?:drug|meth) lab|"
             r"(?:create|make|forge|get) (?:a |some )?fake (?:\w+ )?(?:documents|visas?|passports?|ids?|boarding passes)"),
        _req(r"(?:hack|break) into (?:a |an |the |my |his |her |their |someone'?s? |somebody'?s? |\w+'s )?(?:\w+ )?"
             r"(?:house|home|car|apartment|building|account|email|phone|computer|network|server|database|system|store|"
             r"safe|bank|atm|wifi|website|instagram|facebook|snapchat)"),
        _req(r"(?:steal|shoplift|pickpocket|rob)\b(?! (?:the show|a (?:base|glance|kiss)|(?:\w+ )?hearts?\b))"),
        _req(r"(?:make|print|create|forge|produce|get|buy) (?:a |some )?(?:counterfeit|fake|forged) (?:money|bills|"
             r"currency|cash|ids?|passports?|driver'?s licen[cs]es?|documents|checks|cheques)"),
        _req(r"(?:write|create|make|build|code|develop|program|deploy|spread) (?:a |an |some |my own )?(?:malware|ransomware|"
             r"computer virus|virus|keylogger|trojan|worm|botnet|rootkit|spyware|phishing (?:emails?|pages?|sites?|kits?)|"
             r"credit card skimmer|skimmer)"),
        _req(r"(?:evade|avoid paying|cheat on|dodge) (?:my )?(?:taxes|the irs)|hotwire (?:a|my|the|someone'?s) car|"
             r"get away with (?:stealing|fraud|theft|shoplifting|embezzl\w+)|scam (?:people|someone|old|elderly|seniors)|"
             r"bribe (?:a|the) (?:official|judge|cop|officer|inspector|politician)"),
    ],
    "ssh": [
        r"\b(?:most |least )?(?:painless|quickest|easiest|fastest|best|surest|quietest|effective|reliable) (?:way|method|"
        r"means)s? (?:to|of) (?:kill(?:ing)? myself|die|dying|end(?:ing)? (?:my life|it all)|commit(?:ting)? suicide|suicide|overdos\w+)\b",
        _req(r"(?:kill myself|commit suicide|end my life|end it all|hang myself|slit my wrists|overdose on|cut myself|"
             r"hurt myself|starve myself|make myself (?:throw up|vomit|purge)|hide (?:my )?(?:cuts|self[- ]harm))", gap=1),
        rf"(?:{_act(_MAKE)}{_SAFE}{{0,40}}?\b{_ENCOURAGE}|{_act(_ENCOURAGE)})\b{_SAFE}{{0,40}}?\b(?:self-harm|self harm|"
        rf"suicide|anorexia|bulimia|eating disorders?|starving (?:yourself|themselves))\b(?! prevention| awareness| hotline| helpline| crisis)",
        r"\bhow (?:many|much)\b[^.?!]{0,40}\b(?:to (?:die|overdose|kill (?:myself|me))|would (?:kill|be (?:lethal|fatal)) "
        r"(?:me|myself|a person)|is (?:a )?(?:lethal|fatal) dose)\b",
    ],
    "hte": [
        rf"{_act(_MAKE)}\s+(?:me\s+)?(?:a|an|some|\d+|few|a few|the)?\s*(?:\w+\s+)?(?:racist|sexist|homophobic|transphobic|"
        rf"antisemitic|islamophobic|hateful|bigoted|xenophobic|white supremacist|nazi)\s+(?:\w+\s+)?(?:jokes?|speech|rant|"
        rf"posts?|tweets?|essay|manifesto|slogans?|songs?|poems?|messages?|comments?|slurs?|propaganda|articles?|insults?)",
        rf"{_act(_MAKE + '|argue|explain|prove|convince|persuade')}{_SAFE}{{0,40}}?\b(?:why|that|how)\b[^.?!]{{0,10}}"
        rf"\b{_GROUP}\b[^.?!]{{0,20}}\b(?:are|is)\b[^.?!]{{0,15}}\b(?:subhuman|inferior|animals|vermin|parasites|"
        rf"less intelligent|criminals|rapists|terrorists|evil|a disease|a plague|not human|should be (?:deported|"
        rf"exterminated|killed|banned|sterili[sz]ed))\b",
        rf"\bwhy (?:are|do) (?:all |most )?{_GROUP} (?:so )?(?:inferior|stupid|subhuman|evil|dirty|lazy|violent|greedy)\b",
        r"\b(?:give me|list|tell me|what are)\b[^.?!]{0,20}\b(?:slurs|insults|derogatory (?:names|terms|words)) (?:for|about|to call)\b",
        rf"(?:{_act(_MAKE)}{_SAFE}{{0,40}}?\b(?:incit\w+|promot\w+|spread\w*|encourag\w+|stir\w* up)|"
        rf"{_act(r'incite|promote|spread|encourage|stir up')})\b{_SAFE}{{0,20}}\b(?:hatred|racism|bigotry|discrimination) "
        rf"(?:against|towards?|of)\b",
        rf"{_act(_MAKE)}{_SAFE}{{0,40}}\b(?:uses|using|with|containing|full of|spreading|promoting) (?:racial slurs|hate speech)\b",
    ],
    "src": [
        _req(r"(?:rape|sexually assault|molest|roofie|drug (?:a |her |his |someone'?s? )?(?:drink|date)|spike (?:a |her |his |"
             r"someone'?s? )?drink|force (?:her|him|someone|a (?:woman|girl|man)|my (?:wife|girlfriend)) (?:to have sex|into "
             r"(?:sex|bed)|to sleep with)|take (?:upskirt|creepshot)s?|(?:share|post|leak|spread|upload|sell) (?:her|his|my "
             r"ex'?s?|someone'?s?|\w+'s) (?:nudes|nude (?:photos|pics)|intimate (?:photos|images|videos)|sex tape)|traffic "
             r"(?:women|girls|people)|pimp (?:out )?(?:a|her|girls|women))", gap=2),
        rf"{_act(r'post|make|share|upload|sell|create|spread|leak|generate|distribute')}[^.?!]{{0,20}}\brevenge porn\b",
        rf"{_act(r'make|create|generate|produce|distribute|share|post|sell|spread')}[^.?!]{{0,30}}\b(?:fake|manipulated|"
        r"deepfake|doctored|ai-generated) (?:\w+ )?(?:nudes?|nude (?:images|photos|pictures|pics)|porn\w*|sex (?:tapes?|videos?))\b",
    ],
    "cse": [
        rf"{_act(_CSE_VERBS)}"
        rf"[^.?!]{{0,40}}(?:\b{_SEXPLICIT}\b[^.?!]{{0,40}}\b{_MINOR}|\b{_MINOR}[^.?!]{{0,40}}\b{_SEXPLICIT}\b)",
        _req(rf"(?:groom|seduce|sleep with|have sex with|hook up with|get alone with|undress|get nudes from|sext with|"
             rf"send nudes to)\b[^.?!]{{0,30}}?\b{_MINOR}", gap=1),
    ],
    "ipv": [
        rf"{_act(r'give|print|type|show|send|provide|post|reproduce|tell|sing|list|paste|recite|write out|write down|type out')}"
        rf"(?: me| out| down| up)*(?: (?:the|all|of|full|complete|entire|whole|exact))+ (?:song )?lyrics (?:to|of|for|from) "
        rf"(?!(?:a|an|my|your|our|some|any|this|that|these|those)\b)(?![^.?!]*\b(?:about|mean|means|meaning)\b)",
        r"\bwhat are the (?:full |complete |entire |exact )?lyrics (?:to|of|for) (?!(?:a|an|my|your|our|some|any|this|that)\b)"
        r"(?![^.?!]*\b(?:about|mean|means|meaning)\b)",
        rf"{_act(r'reproduce|print|copy|type out|write out|give|paste|transcribe|recite|output|provide|send|show')}"
        rf"[^.?!]{{0,20}}\b(?:{_CONTENT} (?:text|chapters?|transcript|script|article|book|novel|lyrics|screenplay|"
        rf"episode|paper)|chapter \w+|first (?:\w+ )?(?:pages|chapters?|paragraphs)|(?:long )?passages?) (?:of|from)\b",
        rf"{_act(r'reproduce|copy|quote|recite|write|give|print|type|output|paste')}[^.?!]{{0,60}}\b(?:verbatim|word[- ]for[- ]word)\b",
        rf"{_act(r'bypass|circumvent|remove|strip|crack|get (?:around|past)|break|disable|skip')}[^.?!]{{0,15}}?\b(?:paywalls?|"
        r"drm|copy ?protection|licen[cs]e (?:check|key|verification)|product activation|activation)\b",
        _req(r"(?:download|watch|stream|get|read)\b[^.?!]{0,30}\b(?:movies?|films?|episodes?|shows?|series|seasons?|music|"
             r"songs?|albums?|games?|e?books?|textbooks?|audiobooks?|software|photoshop|windows|office|netflix|hbo|disney\+?)"
             r"\b[^.?!]{0,20}\b(?:for free|without paying)|"
             r"(?:find|get|download) (?:a )?(?:cracked|pirated|torrented)\b|(?:crack|pirate) (?:a |the |this |my )?(?:software|"
             r"programs?|games?|apps?|windows|photoshop|office|adobe \w+|movies?|films?|music|songs?|e?books?|licen[cs]es?|"
             r"serials?|dvds?|blu-?rays?)|(?:generate|make) (?:a )?(?:keygen|serial key|licen[cs]e key|product key)"),
        rf"{_act(r'download|get|find|send|share|give|upload|install|need|want')}[^.?!]{{0,20}}\b(?:(?:cracked|pirated) "
        rf"(?:version|copy) of|keygen (?:for|of))\b",
    ],
    "dfm": [
        rf"{_act(r'write|create|compose|draft|make up|fabricate|generate|post|spread|publish|tweet')}[^.?!]{{0,60}}\b(?:claim(?:s|ing)?|"
        r"alleg(?:e|es|ing)|accus(?:e|es|ing)|saying|that)\b[^.?!]{0,60}\b(?:committed|is guilty|was arrested|embezzl\w+|"
        r"stole|molest\w*|abused|cheated|raped|murdered|took bribes|is a (?:pedophile|criminal|fraud|rapist|murderer|"
        r"thief|drug addict)|has (?:an affair|a secret (?:child|family))|(?:had|has|is having) an affair)\b",
        rf"{_act(_MAKE + '|invent|fabricate|start')}{_SAFE}{{0,60}}\b(?:fake|fabricated|made[- ]up|false|invented|damaging) "
        r"(?:scandal|allegations?|accusations?|story|stories|rumou?rs?|quotes?|evidence|claims?|reviews?)\b",
        _req(r"(?:ruin|destroy|damage|tarnish|smear)\b[^.?!]{0,25}\b(?:reputation|good name|career)"),
        _req(r"spread (?:false|fake|misleading|damaging|untrue) (?:information|rumou?rs?|stories|claims|lies|allegations) "
             r"about (?:a |an |the |my |this |that |someone|somebody|him|her|them)"),
    ],
    "spc": [
        rf"{_act(_MAKE + '|craft|run|launch|start')}{_SAFE}{{0,40}}(?<!about )(?<!against )(?<!on )(?<!of )"
        r"\b(?:fake news|disinformation|misinformation|propaganda|hoax(?:es)?|conspiracy theor(?:y|ies)|false (?:news|"
        r"information|stories|story))\b",
        rf"{_act(_MAKE)}[^.?!]{{0,30}}\b(?:claiming|arguing|proving|saying|stating|showing|that)\b[^.?!]{{0,20}}\b(?:vaccines? "
        r"(?:cause|causes|contain|are (?:poison|dangerous|a hoax))|(?:covid|the pandemic|climate change|global warming|the "
        r"moon landing|the holocaust) (?:is|was) (?:a hoax|fake|staged|a lie|made up|planned)|the (?:\d{4} )?election was "
        r"(?:rigged|stolen)|the earth is flat|5g (?:causes|spreads))",
        rf"{_act(r'tell|text|message|inform|convince|trick|mislead|persuade|email|call|remind')}[^.?!]{{0,30}}\bvoters?\b"
        r"[^.?!]{0,80}\b(?:wrong|fake|false|incorrect|moved|postponed|cancel+ed|changed|stay home|vote (?:by text|online|by phone))\b",
        rf"{_act(r'make|print|create|forge|produce|fill out|submit|cast|mail in')}[^.?!]{{0,20}}\b(?:fake|fraudulent|"
        r"counterfeit|forged|duplicate|extra) (?:ballots?|votes|voter (?:registrations?|ids?))\b",
        _req(r"(?:vote (?:twice|multiple times|more than once|in two states)|rig (?:an|the) election|steal (?:an|the) election)"),
        r"\bis it (?:safe|ok|okay|fine|dangerous) to (?:take|give|double|mix)\b[^.?!]{0,30}\b\d+\s*(?:mg|milligrams?|mcg|"
        r"micrograms?|g|grams?|ml|pills?|tablets?|capsules?|units|doses)\b",
        r"\bhow (?:many|much) (?:mg |milligrams |pills |tablets |capsules )?(?:of \w+ )?(?:should|can|could) i (?:take|give)\b|"
        r"\bwhat dos(?:e|age) of \w+ should i\b|\bshould i (?:stop|start|quit) taking (?:my )?\w+",
        rf"{_act('diagnose')} (?:me|my)\b|\bwhat (?:disease|illness|condition|infection|std|sti) do i have\b|\bdo i have (?:cancer|"
        r"diabetes|an? std|an? sti|hiv|a tumou?r|adhd|autism|bipolar|skin cancer|lupus|ms)\b",
        r"\bshould i (?:put|invest|move|sink|dump|bet|spend) (?:all |most |half )?(?:of )?my (?:life |entire |retirement )?"
        r"(?:savings|money|401k|pension|retirement(?: fund| savings)?|inheritance|emergency fund|paycheck)\b",
        r"\bwhich (?:stocks?|crypto(?:currency|currencies)?|coins?|shares|penny stocks) (?:should|will|are going to|to) "
        r"(?:i )?(?:buy|invest|go up|moon|rise|double)\b",
        rf"{_act(r'write|draft|prepare|build')} (?:my|a) (?:legal )?defen[cs]e\b|\brepresent me in (?:court|my (?:case|trial))\b|"
        r"\bshould i plead (?:guilty|not guilty|no contest)\b|\bwhat should i (?:say|tell|argue) (?:to|in|at) (?:the )?"
        rf"(?:court|judge|jury|my (?:trial|hearing|deposition))\b|{_act(r'write|draft|prepare')} my (?:will|lawsuit|divorce "
        r"(?:papers|petition)|custody (?:agreement|petition)|motion|appeal)\b",
    ],
    "prv": [
        # "his/her phone number" is a dating question unless the verb searches for it.
        rf"\b(?:find|look up|lookup|locate|track down|dig up|uncover)\b[^.?!]{{0,20}}?\b(?:his|her|their) {_PRV_DATA}\b",
        rf"\b(?:find|get|look up|lookup|locate|track down|discover|dig up|give me|tell me|what(?:'s| is| are)|where can i "
        rf"(?:find|get))\b[^.?!]{{0,30}}?(?:\b(?:my (?:\w+ )?{_PERSON_KIND}'?s|(?:someone's|somebody's|a stranger's)|"
        rf"(?:this|that) {_PERSON_KIND}'s|{_NAME}'s|@\w+'s) {_PRV_DATA}|\b{_PRV_DATA} (?:of|for) (?:my (?:\w+ )?"
        rf"{_PERSON_KIND}|(?:this|that|a) (?:private )?{_PERSON_KIND}|someone|somebody|@\w+|{_NAME}))\b",
        r"\bdox+(?:ing)?\s+(?:him|her|them|this|that|my|someone|somebody|a|an|the|@\w+|(?-i:[A-Z]))|" + _req(r"dox+(?:ing)?\b", gap=2),
        rf"{_act(r'track|trace|monitor|spy on|read|access|hack|check|see|intercept|clone|tap|bug')}[^.?!]{{0,15}}?\b(?:my |"
        rf"someone'?s |her |his |their |a )?{_SPOUSE}(?:'s)? (?:phone|cell|location|messages|texts|whatsapp|emails?|calls|"
        rf"browsing|gps|camera|car|whereabouts|movements|snapchat|instagram|dms)\b",
        _req(r"spy on (?:my|someone|somebody|her|him|them|a|the|people|users|employees)"),
        _req(r"(?:find|get|obtain|dig up|uncover|access|collect|expose|leak|publish)\b[^.?!]{0,20}?\b(?:someone'?s|"
             r"somebody'?s|a person'?s|people'?s|his|her|their|my \w+'s) (?:private|personal) (?:information|data|details|"
             r"photos|messages)"),
        rf"{_act(_MAKE + '|collect|harvest|scrape|steal|gather|track|sell|monitor')}[^.?!]{{0,60}}?\b(?:personal|private|"
        r"sensitive) (?:data|information|details)\b[^.?!]{0,40}\b(?:without (?:their |the user'?s'? |users' )?(?:consent|"
        r"knowledge|permission)|from (?:unsuspecting )?users)\b",
        r"\b(?:track|monitor|record|follow|watch|locate|film)\b[^.?!]{0,30}\b(?:secretly|without (?:them|him|her|their|his) "
        r"(?:knowing|knowledge|consent|permission|noticing|finding out))\b",
        rf"{_act(r'track|trace|find|get|pinpoint')}[^.?!]{{0,10}}?\b(?:someone'?s|somebody'?s|a person'?s|her|his|their) "
        r"(?:(?:current|exact|real-time|live) )?(?:location|whereabouts|ip address|gps)\b",
        rf"{_act(r'hide|install|place|put|set up')}[^.?!]{{0,20}}\b(?:hidden |secret |spy |pinhole )?cameras?\b[^.?!]{{0,30}}\b"
        r"(?:bathroom|bedroom|changing room|shower|locker room|airbnb|guest room|her room|his room)\b",
    ],
    "sxc": [
        rf"{_act(r'write|tell|create|compose|generate|give|narrate|continue|roleplay|role-play|describe|draft|produce')}"
        r"[^.?!]{0,40}?\b(?:explicit|erotic|nsfw|smutty|smut|x-rated|pornographic|porn|lewd|kinky|dirty|raunchy|graphic "
        r"sex(?:ual)?|sex)\s+(?:\w+\s+)?(?:story|stories|scenes?|fanfic(?:tion)?|fiction|poem|roleplay|role-play|chat|"
        r"texts?|messages?|dialogue|novel|chapter|script|fantasy|encounter)\b",
        rf"{_act('describe')}[^.?!]{{0,30}}\b(?:sex|sexual (?:encounter|act|intercourse|experience)|intercourse|love[- ]?making|"
        r"making love|them having sex)\b[^.?!]{0,40}\b(?:in (?:\w+ )?detail|graphically|explicitly|vividly|step by step)",
        r"\b(?:let's|lets|wanna|want to|can we|will you|can you|please)\s+(?:\w+\s+)?(?:sext|talk dirty|have (?:cyber|phone) ?sex|"
        r"do (?:an )?erotic roleplay)\b|\bsext (?:me|with me)\b|\btalk dirty to me\b|\bsend me (?:your )?(?:nudes|a nude|nude "
        r"pics|naked pics)\b",
    ],
}
_HAZARD_COMPILED = {code: re.compile("|".join(f"(?:{p})" for p in pats), _I) for code, pats in _HAZARD_RULES.items()}

# Word stems every rule of a code needs somewhere. Cheap to scan for, they let hazard_requests skip the
# costly request patterns on the texts (most of them) that cannot match; tests check nothing is lost.
_TOPIC_STEMS = {
    "vcr": r"kill|murder|assassinat|stab|strangl|chok|suffocat|smother|poison|shoot|kidnap|abduct|tortur|behead|"
           r"dismember|beat|maim|attack|hurt|harm|injur|run over|drown|burn|violence|terror|massacre|killing|body|"
           r"corpse|bomb|shooting|stabbing|threat",
    "iwp": r"bomb|explosive|ied|detonat|nerve|sarin|vx|tabun|mustard|chlorine|anthrax|ricin|botulinum|smallpox|weapon|"
           r"bioweapon|uranium|plutonium|thermite|napalm|molotov|tatp|c-?4|semtex|nitroglycerin|pathogen",
    "ncr": r"meth|crystal|crack|cocaine|heroin|fentanyl|lsd|mdma|ecstasy|ghb|pcp|launder|clean|wash|commit|vandali|"
           r"smuggl|evade|ddos|dos|cyber|phishing|ransomware|exploit|hack|steal|break into|shoplift|pickpocket|rob|"
           r"counterfeit|fake|forged|malware|virus|keylogger|trojan|worm|botnet|rootkit|spyware|skimmer|tax|irs|"
           r"hotwire|get away|scam|bribe|manipulate|sql|credential|drug|lab|document|visa|passport|boarding",
    "ssh": r"myself|suicide|die|dying|end my life|end it all|overdos|self|anorexi|bulimi|eating disorder|starving|lethal|fatal",
    "hte": r"racis|sexist|homophob|transphob|antisemit|islamophob|hate|hatred|bigot|xenophob|supremac|nazi|jews|muslims|blacks|"
           r"black people|immigrants|mexicans|arabs|asians|gays|gay people|trans|women|africans|roma|gypsies|hispanics|"
           r"latinos|chinese|indians|refugees|christians|slur|insult|derogatory|discrimination",
    "src": r"rape|sexually|molest|roofie|drug|spike|force|upskirt|creepshot|nude|intimate|sex|traffic|pimp|porn",
    "cse": r"sex|erotic|explicit|nude|naked|porn|lewd|nsfw|smut|seduc|sleep|make out|hook|in bed|undress|molest|groom|alone with|sext",
    "ipv": r"lyrics|text|chapter|transcript|script|article|book|novel|screenplay|episode|paper|pages|paragraph|passage|"
           r"verbatim|word[- ]for[- ]word|paywall|drm|copy ?protection|licen|activation|free|without paying|crack|pirat|"
           r"torrent|keygen|serial|product key",
    "dfm": r"claim|alleg|accus|saying|that|fake|fabricat|made[- ]up|false|invented|damaging|reputation|good name|career|"
           r"misleading|untrue",
    "spc": r"fake news|disinformation|misinformation|propaganda|hoax|conspiracy|false|vaccin|covid|pandemic|climate|"
           r"global warming|moon landing|holocaust|election|earth is flat|5g|voter|ballot|vote|safe|dangerous|ok|okay|"
           r"fine|how many|how much|dos|should i|diagnos|disease|illness|condition|infection|std|sti|do i have|which|"
           r"represent me|defen[cs]e|my will|my lawsuit|my divorce|my custody|my motion|my appeal",
    "prv": r"address|phone|social security|ssn|date of birth|medical records|bank|credit card|license plate|dox|location|"
           r"messages|texts|whatsapp|email|calls|browsing|gps|camera|car|whereabouts|movements|snapchat|instagram|dms|"
           r"spy|personal|private|sensitive|secretly|without|ip address",
    "sxc": r"explicit|erotic|nsfw|smut|x-rated|porn|lewd|kinky|dirty|raunchy|sex|intercourse|love|sext|talk dirty|nude|naked",
}
_TOPICS = {code: re.compile(rf"\b(?:{stems})", _I) for code, stems in _TOPIC_STEMS.items()}


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def hazard_requests(text: str) -> list[str]:
    """Hazard codes whose request or intent forms the text uses ("how do I make a pipe bomb", "write a
    tweet claiming <person> took bribes", "find the home address of <person>"). Abstains on a text (or,
    in a long text, a sentence) that asks how to protect, report or recognise: those share the words."""
    text = _norm(text)
    # Long texts (jailbreak templates run to thousands of characters) are read a sentence at a time,
    # and only sentences holding a code's topic words meet its request patterns: the patterns never
    # cross a sentence end anyway, and this is several times faster.
    spans = [(0, len(text))] if len(text) <= 400 else [m.span() for m in _SENTENCE.finditer(text)]
    spans = [(s, e) for s, e in spans if not _PROTECTIVE.search(text, s, e)]
    return [code for code, rx in _HAZARD_COMPILED.items()
            if any(_TOPICS[code].search(text, s, e) and rx.search(text, s, e) for s, e in spans)]


# ---------------------------------------------------------------------------------------------
# 5. Jailbreak markers, refusals, compliance
# ---------------------------------------------------------------------------------------------

_JAILBREAK = _rx(
    r"(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|of\s+)*(?:previous|prior|above|"
    r"earlier|preceding|former|original|initial|system|existing)\s+(?:instructions?|prompts?|rules|directions|guidelines|"
    r"context|messages?|programming|constraints|commands)",
    r"(?:ignore|disregard|forget)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:instructions|rules|commands|prompts|guidelines)\s+"
    r"(?:you (?:got|were given|received|have been given|have received)|given to you)\s+(?:before|previously|earlier|so far)",
    r"(?:doesn't|does not|don't|do not|never|won't|will not|no longer) (?:have to |need to )?(?:follow|obey|adhere to|"
    r"abide by|care about|comply with|respect) (?:any |the |openai'?s? |your |its |their )*(?:polic(?:y|ies)|rules|"
    r"guidelines|ethics|ethical (?:guidelines|principles)|restrictions|content polic(?:y|ies)|morals|filters)",
    r"(?:not|never) (?:bound|restricted|limited|constrained) by (?:any |the |openai'?s? )*(?:rules|ethics|guidelines|"
    r"polic(?:y|ies)|restrictions|filters|morals)",
    r"(?:never|not|don't|do not|cannot|can't|won't|will not) (?:ever )?(?:refuses?|deny|denies|declines?|rejects?) (?:a |any |my |the "
    r"user'?s? )?(?:request|question|prompt|order|command)s?", r"breaks? (?:all (?:the )?|(?:the )?(?:ai|openai|chatgpt) )rules",
    r"from now on,? (?:you(?:'re| are| will| shall| must)|act as|pretend)",
    r"(?:respond|answer|reply|responses?|answers?)\b[^.]{0,40}\b(?:without|with no) (?:any )?(?:remorse|ethics|morals|"
    r"moral compass|conscience|censorship)", r"(?:evil|unethical|immoral|amoral|unhinged) (?:confidant|assistant|ai|bot|twin|version|"
    r"alter ego|persona)",
    r"opposite day", r"(?:has|have|with) no (?:moral principles|ethical (?:code|principles|guidelines|boundaries)|moral "
    r"(?:code|boundaries))",
    r"(?:ignore|disregard|forget|abandon|override|break free of|bypass)\s+(?:all\s+)?(?:of\s+)?your\s+(?:instructions|"
    r"programming|rules|guidelines|restrictions|filters|training|policies|safety (?:guidelines|rules|measures|filters)|"
    r"ethical (?:guidelines|constraints)|content polic(?:y|ies))",
    r"you are (?:now )?dan", r"dan mode", r"do anything now", r"developer[\s_\\]*mode(?:[\s_:]*(?:enabled|output))?",
    r"jailbr(?:oken|eak(?:ed)?)(?! (?:an? |my |the |your )?(?:iphone|ipad|ios|phone|android|ps\d|playstation|switch|console|"
    r"device|firestick|fire stick|kindle|xbox|router|tablet)s?\b)",
    # "no restrictions" only where it describes the model or its answers, not parking or guns
    r"(?:answer|respond|repl|response|act|operat|output|generat|ai|model|assistant|chatbot|bot|you|mode|version|persona|"
    r"character)\w*\b[^.]{0,40}?\b(?:without|with no|no|free of|free from|not bound by)\s+(?:any\s+)?(?:\w+\s+)?(?:restrictions|filters|"
    r"guidelines|limitations|censorship|content polic(?:y|ies)|ethical (?:constraints|guidelines)|moral (?:constraints|"
    r"guidelines))\b(?!\s+(?:apply|on|for|about|regarding))",
    r"(?:stay|remain|keep) in character", r"(?:pretend|imagine|act (?:as if|like)) (?:that )?you (?:have|had) no (?:rules|"
    r"restrictions|filters|guidelines|limits|ethics|morals)", r"system prompt (?:override|injection|leak)",
    r"(?:new|updated|override) system prompt", r"disregard your (?:programming|training|guidelines)",
    r"(?:reveal|print|show|repeat|output) (?:me )?(?:your|the) (?:system prompt|initial instructions|hidden instructions)",
    r"(?:openai|anthropic|your creators?)(?:'s)? (?:content )?polic(?:y|ies) (?:do(?:es)? not|don't) apply",
    r"(?:unfiltered|uncensored|amoral|unrestricted|unaligned) (?:ai|mode|assistant|chatbot|model|version|response)",
    r"answer (?:as|like) both", r"(?:aim|stan|dude|mongo tom|evil-?bot|betterdan|anti-?dan)\b(?=[^.]{0,40}\b(?:mode|"
    r"character|persona|stands for|rules|no (?:filters|restrictions)))", r"opposite mode", r"token(?:s)? (?:will be )?deducted")


def jailbreak(text: str) -> bool:
    """True for prompt-injection and jailbreak markers ("ignore all previous instructions", "you are
    now DAN", "developer mode", "no restrictions", "stay in character")."""
    return bool(_JAILBREAK.search(_norm(text)))


_OPENING = re.compile(r"^\W*(?:sure|certainly|of course|absolutely|okay|ok|yes|great question|happy to help|"
                      r"here(?:'s| is| are))\b", _I)


def refusal(text: str) -> bool:
    """True when a response declines; judged on its first 300 characters, where refusals sit."""
    return bool(REFUSAL.search(_norm(text)[:300]))


def compliance_opening(text: str) -> bool:
    """True when a response opens by doing what was asked ("Sure, here's how...", "Step 1") and does
    not decline in its opening."""
    head = _norm(text)[:300]
    return not REFUSAL.search(head) and bool(_OPENING.match(head) or COMPLIANCE.search(head))


# ---------------------------------------------------------------------------------------------
# 6. Benign-side voters: narrow framings that make a scary-sounding text safe
# ---------------------------------------------------------------------------------------------

_FACTUAL = _rx(
    r"what happened (?:during|in|at|on|to|after|before)",
    r"(?:why|how) did (?!(?:you|i|we|he|she|they|it|my|your|u)\b)(?:the )?[\w' -]{1,50}? (?:happen|start|begin|end|occur|take place|come to power|rise|fall|collapse)",
    r"what (?:is|are|was|were) (?:the )?(?:legal )?(?:definition|meaning|history|origins?|causes?|consequences|effects|"
    r"long-term effects|impact|significance|symptoms|signs|statistics|prevalence|penalty|penalties|punishment|laws?|"
    r"death toll|aftermath|legacy) (?:of|for|on|behind|regarding|against)",
    r"how many (?:\w+ ){0,2}(?:died|were killed|were murdered|were lost|perished|lost their lives|were affected|die|"
    r"are killed|are affected|were displaced|were deported|were executed)",
    r"(?:statistics|data|figures|research) (?:on|about|for) ", r"how common (?:is|are)", r"what percentage of",
    r"who (?:was|were) (?:responsible for|behind)", r"when (?:did|was|were) (?!(?:you|i|we|he|she|they|it|my|your|u)\b)(?:the )?[\w' -]{1,40}? (?:start|begin|end|"
    r"happen|occur|take place|abolished|outlawed|banned|legali[sz]ed)", r"what does (?!(?:that|this|it|he|she|you|u|they)\b)(?:the (?:word|term) )?[\w' -]{1,30} mean",
    r"(?:define|definition of) (?:the (?:term|word) )?\w+")


def factual_about_sensitive(text: str) -> bool:
    """True for factual, historical or definitional questions ("What happened during the Rwandan
    genocide?", "What is the definition of hate speech?", "How many people died in ...")."""
    return bool(_FACTUAL.search(_norm(text)))


_PROTECT_OBJ = (r"(?:scams?|phishing|fake|frauds?|abus\w+|groom\w*|predators?|warning signs|symptoms|counterfeits?|"
                r"manipulat\w+|traffick\w*|radicali[sz]\w+|overdos\w+|suicidal|depress\w+|stalk\w*|cyberbully\w*|bully\w*|"
                r"extremis\w+|propaganda|misinformation|disinformation|deepfakes?|malware|virus|carbon monoxide|gas leak|"
                r"poison\w*|heat ?stroke|stroke|heart attack|concussion|hypothermia|a drowning)")
_PROTECTIVE = _rx(
    r"(?:how|what) (?:can|do|should|could) (?:i|we|parents|you|people|schools?|one) (?:\w+ ){0,2}?(?:protect|safeguard|"
    r"secure|defend (?:myself|ourselves|against)|stay safe|report)",
    r"(?:how|what) (?:can|do|should|could) (?:i|we|parents|you|people|schools?|one) (?:\w+ ){0,2}?help (?:a|my|our|someone|"
    r"somebody|people|victims?|survivors?)\b[^.?!]{0,40}\b(?:who|through|cope|in crisis|struggling|recover|that|with)",
    r"(?:how (?:do|can|could|should) (?:i|we|you|parents)|how to|ways to|tips (?:to|for|on)) (?:\w+ )?(?:prevent|stop) "
    r"(?:\w+ ){0,2}?(?:suicide|abuse|attacks?|fraud|theft|burglar\w*|break-ins?|bullying|overdoses?|poisoning|"
    r"accidents?|infections?|scams?|shootings?|violence|harassment|identity theft|hacking|data breaches?|fires?|"
    r"grooming|trafficking|radicali[sz]ation|relapse)",
    rf"(?:how (?:do|can|could|should) (?:i|we|you|parents)|how to|ways to|tips (?:to|for|on)) (?:\w+ )?(?:recogni[sz]e|"
    rf"spot|identify|detect|tell if|know if|tell whether)\b[^.?!]{{0,40}}\b{_PROTECT_OBJ}",
    r"(?:how (?:do|can|could|should) (?:i|we|you)|how to|ways to|tips (?:to|for|on)) keep (?:\w+ ){1,3}safe",
    r"(?:how (?:do|can|could|should) (?:i|we|you)|how to|ways to|tips (?:to|for|on)) avoid (?:being |getting )?(?:scammed|"
    r"hacked|phished|robbed|mugged|attacked|kidnapped|stalked|tracked|doxx?ed|groomed|infected|poisoned|burned|scams|"
    r"phishing|fraud|malware|identity theft)",
    r"warning signs", r"signs (?:of|that) (?:someone|somebody|my|a|your|an?|child|elder|domestic)",
    r"is it (?:safe|dangerous|harmful|toxic|okay|ok|bad) to (?:mix|combine|eat|drink|use|leave|store|touch|breathe|inhale|"
    r"burn|microwave|swim)", r"what should i do if (?:i|my|someone|somebody|a|an|you)",
    r"who (?:can|do|should) i (?:call|contact|report|tell)", r"(?:hotline|helpline|crisis line)",
    r"(?:how (?:do|can|could|should) (?:i|we|you)|how to|where (?:do|can) i|where to) (?:\w+ )?report (?:a|an|this|the|it|"
    r"someone|somebody|abuse|harassment|scams?|fraud|crimes?|child|them|him|her|cyberbullying|threats?)")


def protective_intent(text: str) -> bool:
    """True when the text seeks safety or protection ("how can I protect my child from online
    predators", "what are the warning signs of suicide", "how do I report ...")."""
    return bool(_PROTECTIVE.search(_norm(text)))


_GAMES = (r"call of duty|minecraft|fortnite|gta(?: ?v| ?5| online)?|grand theft auto|skyrim|elden ring|dark souls|pubg|"
          r"apex legends|valorant|counter-?strike|cs:? ?go|overwatch|league of legends|dota 2?|world of warcraft|"
          r"among us|red dead redemption|zelda|pok[eé]mon|the sims|roblox|terraria|baldur's gate|dungeons (?:and|&) dragons|"
          r"d&d|dnd|assassin's creed|resident evil|stardew valley|destiny 2|rainbow six siege|tekken|"
          r"mortal kombat|street fighter|halo infinite|the witcher|cyberpunk 2077|fallout (?:3|4|76|new vegas)|"
          r"hollow knight|sekiro")
_FICTION = _rx(
    r"(?:in|for) (?:my|a|the|our|this) (?:novel|story|short story|book|screenplay|script|play|fanfic\w*|fiction|comic|"
    r"manga|graphic novel|campaign|tabletop game|rpg|movie|film|tv show|series|video game|game|poem|thriller|mystery)",
    r"(?:my|the|our) (?:protagonist|antagonist|villain|main character|character|hero|heroine|narrator|npc|detective)",
    rf"(?:{_GAMES})", r"(?:in|at) (?:chess|poker|the game|this game|this level|the boss fight)",
    r"(?:kill|beat|defeat|shoot|destroy)(?:ed|ing|s)? (?:the |a |an |all (?:the )?)?(?:final |last |first |ender |raid )?"
    r"(?:boss|bosses|enemy|enemies|mobs?|npcs?|zombies?|dragons?|creepers?|monsters?|orcs?|goblins?|aliens?|demons?|"
    r"vampires?|undead|skeletons?)",
    r"kill(?:s|ed|ing)? (?:the |a |an |my |this |that |all |every )?(?:\w+ )?(?:lights?|engine|music|process(?:es)?|tasks?|"
    r"jobs?|threads?|apps?|programs?|servers?|sessions?|containers?|pods?|time|mood|conversation|power|switch|motor|"
    r"signal|battery|buzz|vibe)",
    r"kill(?:ed|ing)? it", r"(?:joke|show|set|performance|comedian|gig|routine|speech) (?:really |totally )?killed",
    r"(?:this|that|it|you|he|she) killed me", r"slay(?:ed|ing|s)? (?:it|the (?:game|look|stage|performance))",
    r"shoot(?:ing)? (?:a |the |some |my |our )?(?:photos?|pictures?|portraits?|video|videos|film|movie|scene|footage|"
    r"hoops|the breeze|your shot|for the (?:moon|stars)|me an? (?:email|message|text|dm))",
    r"photo ?bomb\w*", r"bomb(?:ed)? (?:the|my|an|that) (?:test|exam|interview|audition|presentation|quiz)",
    r"murder mystery", r"killer (?:app|feature|deal|workout|idea|smile|outfit|instinct|sudoku|combo)",
    r"dying (?:of laughter|to (?:see|know|try|meet|go|hear))", r"terminate (?:the |a )?(?:process|instance|program|loop)",
    r"(?:execute|executing) (?:the |a |this |my )?(?:code|query|command|script|program|function|plan|order|trade)",
    r"nuke (?:the|my) (?:database|folder|directory|cache|branch|vm|build)")


def fiction_or_game(text: str) -> bool:
    """True for fiction, games and figurative uses ("in my novel the villain...", "in Call of Duty",
    "kill the lights", "my code keeps killing the process", "this joke killed")."""
    return bool(_FICTION.search(_norm(text)))


_ROLE = (r"(?:ceo|president|vice president|prime minister|chancellor|governor|senator|mayor|king|queen|pope|chairman|"
         r"chairwoman|founder|coach|captain|director|host|secretary of state|minister|leader|head|speaker|chief justice)")
_LANDMARK = (r"(?:white house|kremlin|eiffel tower|pentagon|capitol(?: building)?|vatican|downing street|10 downing street|"
             r"buckingham palace|parliament|supreme court|united nations|un headquarters|elysee palace|taj mahal|"
             r"statue of liberty|empire state building|sydney opera house|colosseum|louvre)")
_PUBLIC = _rx(
    r"what (?:did|has|does|have) (?:\w+ ){1,3}(?:do|done|achieve|accomplish|contribute|stand for|campaign on)\b[^.?!]{0,30}?"
    r"\b(?:as|during|while|in (?:office|power))",
    r"(?:famous|best[- ]known|most (?:famous|popular|successful|notable|influential|acclaimed)|greatest|biggest|top|best|"
    r"first|latest|debut) (?:albums?|songs?|films?|movies?|books?|novels?|works?|paintings?|speeches|achievements|"
    r"accomplishments|policies|inventions|discoveries|roles|hits|records|quotes|plays|goals|titles|contributions|companies)",
    rf"(?:when|how long) (?:was|did|has|is|were) (?:\w+ ){{1,3}}(?:the )?{_ROLE} (?:of|at|in|for)",
    rf"who (?:is|was|are|were) (?:the )?(?:current |first |last |former |next )?{_ROLE} of",
    rf"(?:where is|where's|what is the (?:home )?address of|address of|location of|how do i get to|when was) (?:the )?{_LANDMARK}",
    r"(?:what|which) (?:party|position|office|team|company|band|role|roles|positions|offices|teams|films|movies|albums|"
    r"books|awards?|prizes?|companies) (?:did|does|is|was|has|have) (?:\w+ ){1,3}(?:belong to|hold|held|play for|play in|"
    r"found|founded|star in|starred in|win|won|write|wrote|lead|led|run|represent|direct|directed|invent)",
    r"(?:what|how|describe|explain|summari[sz]e|tell me about)\b[^.?!]{0,30}(?-i:[A-Z][a-z]+)'s (?:stance|position|"
    r"policy|policies|views?|legacy|tenure|record|voting record|presidency|administration|career|biography|platform|"
    r"campaign|achievements|contributions|role|discography|filmography|net worth)")
_PRIVATE = _rx(r"home address", r"(?:phone|cell|mobile) number", r"medical (?:records|history|condition)", r"ssn",
               r"social security", r"email address", r"where (?:does|do|did) \w+ (?:\w+ )?live", r"license plate",
               r"(?:kids?|children|daughter|son)'?s? school", r"bank (?:account|details)", r"password")


def public_figure_role(text: str) -> bool:
    """True for questions about a public figure's public role or work ("What did Barack Obama do as
    president?", "Where is the White House?"), never for their private data (home address, phone)."""
    text = _norm(text)
    if _PRIVATE.search(text) and not re.search(rf"\b{_LANDMARK}\b", text, _I):
        return False
    return bool(_PUBLIC.search(text))
