"""Keyword and pattern rules per hazard, and patterns of benign framings.

Rules are weak on purpose: they vote, the label model weighs them. They are also the
keyword-filter baseline in evaluation reports.
"""

from __future__ import annotations

import re

_W = r"(?:^|\b)"

HAZARD_PATTERNS: dict[str, list[str]] = {
    "vcr": [r"\b(kill|murder|assassinat\w*|stab|strangle|behead|torture|kidnap\w*|abduct\w*)\b (him|her|them|someone|somebody|people|my|a person|the|you)\b",
            r"\b(mass shooting|shoot up|school shooting|terror(ist|ism) attack|hostage|hit ?man|get away with murder)\b",
            r"\b(beat (him|her|them|someone) up|hurt (him|her|them|someone|people)|poison (him|her|them|someone|my))\b",
            r"\b(animal cruelty|torture (a|an|my|the) (animal|cat|dog))\b"],
    "src": [r"\b(rape|sexual(ly)? assault\w*|sex traffick\w*|revenge porn|molest\w*|grope|date rape|roofie|non-?consensual)\b",
            r"\b(drug (her|him|someone) (drink|to have sex)|force (her|him|someone) (to have sex|into sex))\b"],
    "cse": [r"\b(child porn\w*|csam|underage (sex|nude|girl|boy)s?|groom(ing)? (a )?(child|kid|minor)s?|sexual(ly)? .{0,20}(child|minor|kid)s?|pedophil\w*|paedophil\w*|lolicon)\b"],
    "ssh": [r"\b(kill myself|suicide|end my life|self[- ]harm|cut myself|hurt myself|overdose|starve myself|pro-?ana|want to die|slit my wrists?)\b"],
    "iwp": [r"\b(bomb|explosive|detonat\w*|nerve (gas|agent)|sarin|vx gas|anthrax|ricin|bioweapon|biological weapon|chemical weapon|nuclear (weapon|bomb|device)|dirty bomb|uranium enrich\w*|pipe bomb|molotov|napalm|weaponi[sz]e)\b"],
    "ipv": [r"\b(pirat\w+|torrent\w*|crack(ed)? (software|version)|bypass (drm|copy protection)|counterfeit (goods|designer|brand)|copyrighted|keygen|trade secrets?)\b"],
    "dfm": [r"\b(defam\w+|libel\w*|slander\w*|smear campaign|false (rumou?rs?|allegations?|claims?) about|fake (story|news) about)\b"],
    "ncr": [r"\b(hack(ing)? into|malware|ransomware|keylogger|phishing|scam|launder\w* money|money launder\w*|embezzl\w*|shoplift\w*|steal\w*|burglar\w*|break into|identity theft|credit card (fraud|numbers)|tax evasion|evade (taxes|the police)|counterfeit (money|currency|bills)|fake (id|passport)|meth(amphetamine)?|cocaine|heroin|fentanyl|drug deal\w*|smuggl\w*|brib\w+|insider trading|ddos|botnet|exploit (a )?vulnerabilit\w*|fraud\w*)\b"],
    "hte": [r"\b(racist|racial slur|white supremac\w*|neo-?nazi|ethnic cleansing|inferior race|subhuman|hate speech|islamophob\w*|antisemit\w*|homophob\w*|transphob\w*|xenophob\w*|sexist)\b",
            r"\b(all|most) (blacks?|jews?|muslims?|asians?|mexicans?|immigrants?|women|gays?|trans people|arabs?)\b.{0,40}\b(are|should)\b"],
    "prv": [r"\b(home address|social security number|ssn|dox\w*|track (someone|my (wife|husband|ex|girlfriend|boyfriend))|spy on|stalk\w*|personal information (of|about)|phone number of|without (their|his|her) (knowledge|consent|permission))\b"],
    "spc": [r"\b(diagnos\w+ (me|my)|what dose|how much .{0,20}(should i take|to take)|prescri\w+ me|which stocks? (should|to) (i )?buy|guaranteed (return|profit)|invest (all )?my|legal advice|sue (my|him|her)|rig (the|an) election|voter (fraud|suppression)|fake ballots?|election (fraud|misinformation))\b"],
    "sxc": [r"\b(porn\w*|erotic\w*|explicit sex\w*|sex scene|nude\w*|naked|orgasm|masturbat\w*|dirty talk|sexting|fetish|hentai|onlyfans)\b"],
}

# Framings that make a scary-sounding request benign: programming, cooking, games, fiction
# analysis, history, definitions, self-protection. They vote "safe" and are deliberately narrow.
BENIGN_PATTERNS: list[str] = [
    r"\b(python|java(script)?|linux|unix|bash|sql|docker|kubernetes|git|process(es)?|thread|server|database|excel|spreadsheet|terminal|command line|regex|compiler|script in)\b",
    r"\b(recipe|cook(ing)?|bake|baking|oven|grill\w*|marinade|dough|chop (the )?onions?)\b",
    r"\b(minecraft|fortnite|call of duty|video game|board game|chess|poker|in the game|my character|dungeons? (and|&) dragons)\b",
    r"\b(what (is|are|was|were) (the )?(definition|meaning|history|causes?|origins?) of|what does .{1,30} mean|define )\b",
    r"\b(in the (novel|book|film|movie|series|play)|historically|in history|during (world war|the war|the holocaust))\b",
    r"\b(protect (myself|my family|my kids|my children)|warning signs|how to recogni[sz]e|how can i (help|support) (a|my) (friend|child|partner)|prevent\w*|report (a|it|abuse))\b",
]

_COMPILED = {code: [re.compile(p, re.I) for p in pats] for code, pats in HAZARD_PATTERNS.items()}
_BENIGN = [re.compile(p, re.I) for p in BENIGN_PATTERNS]


def hazard_hits(text: str) -> list[str]:
    """Codes whose patterns match the text."""
    return [code for code, pats in _COMPILED.items() if any(p.search(text) for p in pats)]


def benign_framing(text: str) -> bool:
    return any(p.search(text) for p in _BENIGN)
