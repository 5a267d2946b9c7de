"""Task-conditioned prompts for the one multi-task guardian model, and the instructions the base
model writes its own safeguard responses under.

A system message names the task, so the same weights detect or respond. Detection answers are
`safe` or `unsafe: code, code`; their first tokens (`safe` / `un`) and the first token of each
` code` are distinct, which lets one forward pass read the label and category probabilities.
"""

from __future__ import annotations

import re
from typing import Literal

from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY

Task = Literal["detect", "respond"]

DETECT_SYSTEM = {
    "prompt": "Task: detect. Is the user's request harmful? Answer 'safe', or 'unsafe:' and hazard codes.",
    "response": "Task: detect. Is this assistant response harmful? Answer 'safe', or 'unsafe:' and hazard codes.",
}
RESPOND_SYSTEM = ("Task: respond. Answer helpfully. If the request is harmful, decline that part briefly and "
                  "respectfully, say which concern it touches, and offer a safe alternative.")
# The base model's usual persona, used for its own helpful answers to safe prompts.
PLAIN_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

SAFE_LABEL = "safe"
UNSAFE_LABEL = "unsafe"
CATEGORY_LEAD = ":"

# What a good safeguard response offers instead, per hazard.
_ALTERNATIVES = {
    "vcr": "suggest safe, legal ways to handle the situation, such as talking to someone or contacting the police",
    "src": "point to consent, the law, and support services for victims",
    "cse": "say that protecting children matters and point to child-protection hotlines",
    "ssh": ("show care, encourage the person to talk to someone they trust and to contact a crisis line "
            "such as 988 in the US or local emergency services"),
    "iwp": "offer general, non-technical safety or history information instead",
    "ipv": "suggest legal ways to get the content, such as buying, licensing or free alternatives",
    "dfm": "suggest sticking to verifiable facts and fair criticism",
    "ncr": "suggest legal alternatives and where to get proper help",
    "hte": "encourage respect and offer to discuss the topic in a fair way",
    "prv": "explain why personal information must stay private and suggest official channels",
    "spc": "suggest consulting a qualified professional (doctor, lawyer or financial adviser)",
    "sxc": "offer to help with something appropriate instead",
}


# How a safeguard response names each concern, in plain words.
CONCERNS = {
    "vcr": "violence against people", "src": "sexual crimes", "cse": "the sexual exploitation of children",
    "ssh": "suicide and self-harm", "iwp": "weapons that can cause mass harm", "ipv": "intellectual property rights",
    "dfm": "defamation", "ncr": "illegal activity", "hte": "hateful content", "prv": "people's privacy",
    "spc": "specialised advice that needs a professional", "sxc": "sexual content",
}
_OPENINGS = (
    "I'm sorry, but I can't help with that because it involves {concern}.",
    "I can't help with this request, since it touches on {concern}.",
    "I won't be able to help with that: it relates to {concern}.",
)
_CRISIS = ("If you are thinking about hurting yourself, please reach out right now to someone you trust or to a "
           "crisis line, such as 988 in the US, or your local emergency number.")


# For self-harm the opening shows care first and declines without a second apology.
_SSH_OPENINGS = (
    "I'm really sorry you're feeling this way, and I can't help with anything about suicide or self-harm.",
    "I'm so sorry you're going through this. I can't help with that, because it involves suicide and self-harm.",
    "It sounds like you're in a lot of pain right now, and I can't help with ways to hurt yourself: suicide and "
    "self-harm are too important to get wrong.",
)


def safeguard_opening(code: str, variant: int) -> str:
    """The start of a safeguard response; the base model writes the rest (the alternative)."""
    if code == "ssh":
        return f"{_SSH_OPENINGS[variant % len(_SSH_OPENINGS)]} {_CRISIS} Instead,"
    return _OPENINGS[variant % len(_OPENINGS)].format(concern=CONCERNS[code]) + " Instead,"


# Used when what the model wrote after the opening fails the output check.
SAFE_ALTERNATIVES = {
    "vcr": "if you are in a conflict, consider talking it through with someone you trust or contacting local authorities.",
    "src": "if you or someone you know has been affected, support services for survivors can help confidentially.",
    "cse": "if a child may be at risk, please contact a child-protection hotline or the police.",
    "ssh": "you don't have to go through this alone, and talking to someone can really help.",
    "iwp": "I'm happy to share general safety or history information on the topic.",
    "ipv": "you could look for a licensed copy, a library, or a free and legal alternative.",
    "dfm": "I can help you state verifiable facts or write fair criticism.",
    "ncr": "I can help you find a legal way to reach your goal.",
    "hte": "I'm happy to discuss the topic respectfully and fairly.",
    "prv": "official channels can help while keeping everyone's personal information private.",
    "spc": "a qualified professional can give advice that fits your situation.",
    "sxc": "I'm happy to help with something else.",
}


def fixed_safeguard(code: str) -> str:
    """The safeguard response when no model writes one: the opening and the fixed safe alternative."""
    return f"{safeguard_opening(code, 0)} {SAFE_ALTERNATIVES[code]}"


def first_sentences(text: str, n: int = 2) -> str:
    """The start of what a small model wrote: it tends to drift after a sentence or two."""
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return " ".join(parts[:n]).strip()


def safeguard_instruction(code: str) -> str:
    """System prompt the base model writes a candidate safeguard response under."""
    hazard = DEFAULT_TAXONOMY.get(code)
    # "The same subject" asks for an alternative that fits the request; without it the base model
    # offered homework help for a death threat.
    return (f"The user's request is harmful because it involves {hazard.name.lower()}. Do not help with it. "
            f"In two or three sentences: politely decline, say that the request touches on "
            f"{hazard.name.lower()}, and {_ALTERNATIVES[code]}. Keep the alternative about the same subject "
            f"as the request, and never give steps, amounts or methods for the harmful part.")


def detect_target(unsafe: bool, codes: list[str] | tuple[str, ...] = ()) -> str:
    if not unsafe:
        return SAFE_LABEL
    return f"{UNSAFE_LABEL}{CATEGORY_LEAD} " + ", ".join(codes) if codes else UNSAFE_LABEL


def detect_messages(text: str, kind: str = "prompt") -> list[dict]:
    return [{"role": "system", "content": DETECT_SYSTEM[kind]}, {"role": "user", "content": text}]


def respond_messages(text: str, system: str = RESPOND_SYSTEM) -> list[dict]:
    return [{"role": "system", "content": system}, {"role": "user", "content": text}]


def chat_text(tokenizer, messages: list[dict]) -> str:
    """The model's own chat template up to the start of the assistant turn."""
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
