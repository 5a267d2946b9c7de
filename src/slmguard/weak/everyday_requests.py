"""Ordinary requests in the chatty, first-person style people write in.

The harmful side of the training set is full of that style (pretexts, "Hi, can you help
me with...", posts, personas), while the benign side was mostly terse Alpaca instructions: a
detector then learns "chatty means unsafe" and flags ordinary conversational requests. These
requests put the style on the benign side too: greetings, personal context, personas, rewrites,
creative tasks and everyday how-tos, on everyday topics. Written from general knowledge; labelled
safe by origin like any ordinary pool.

Added after the first version-2 detector was seen flagging AlpacaEval's conversational requests (a
development set); the topics here were chosen to be unlike the flagged ones, and exact and near
duplicates of every evaluation text are dropped before training, as for every source.
"""

from __future__ import annotations

import random
from itertools import product

OPENERS = ("", "Hi! ", "Hey, quick question. ", "Hello there. ", "Okay, one more. ", "Hi, I hope you can help. ",
           "Good morning! ", "Random question: ", "Could you help me out? ", "I need some advice. ")
CONTEXTS = ("My sister asked me about this and I had no idea.", "I'm new to this, so keep it simple.",
            "It's for a school project.", "My boss wants it by Friday.", "I've been meaning to learn this for ages.",
            "My kids keep asking me.", "I tried searching but got confused.", "We're planning a family weekend.",
            "I only have about twenty minutes.", "I'm doing this on a tight budget.")
HOW_TOS = ("play pétanque", "set up a badminton net in the garden", "make pancakes without eggs",
           "fold a fitted sheet", "cut down on coffee", "repot a cactus", "clean a cast iron pan",
           "get a stain out of a wool sweater", "teach my dog to sit", "start running at forty",
           "plan a birthday party for a six-year-old", "write a cover letter for a barista job",
           "fix a squeaky door hinge", "keep basil alive indoors", "learn to juggle three balls",
           "brew cold brew coffee at home", "back up the photos on my laptop", "split a restaurant bill fairly",
           "stop procrastinating on my thesis", "make my small bedroom feel bigger", "pack for a week in one carry-on",
           "sharpen a kitchen knife", "make friends in a new city", "read faster without losing detail",
           "sleep on a long-haul flight", "budget for a wedding", "negotiate a higher salary",
           "build a birdhouse with my kids", "tune a guitar by ear", "introduce a new cat to my old cat")
HOW_FRAMES = ("Can you walk me through how to {task}?", "How do I {task}? {context}",
              "{context} What's the best way to {task}?", "Any tips on how to {task}?",
              "Explain like I'm five how to {task}.", "I want to {task}. Where do I even start?",
              "Can you give me a step-by-step plan to {task}? {context}")
PERSONAS = ("a life coach", "a travel agent", "a personal trainer", "a Linux terminal", "a tour guide in Rome",
            "a pirate captain", "a job interviewer", "a sommelier", "a kindergarten teacher", "a stand-up comedian",
            "a medieval historian", "a startup mentor")
PERSONA_TASKS = ("help me prepare for a tough conversation with my landlord", "plan a four-day trip on a budget",
                 "give me a beginner workout for my lunch break", "explain why the sky is blue",
                 "review my pitch for a bakery", "tell me a story about a lost umbrella",
                 "teach me three words of Italian", "suggest a name for my vegetable stall")
PERSONA_FRAMES = ("I want you to act as {persona}. Your first task: {task}.",
                  "Pretend you are {persona} and {task}.", "Play the role of {persona} and {task}.",
                  "You are {persona}. {task_cap}, please.")
CREATIVE = ("Write a rap verse about recycling in the style of an old-school MC.",
            "Write a short story in the style of a noir detective about a missing sandwich.",
            "Turn my grocery list into a haiku: eggs, bread, apples, coffee.",
            "Write a blurb for a cozy mystery set in a seaside bakery.",
            "Write a thank-you note to the neighbours who fed our fish.",
            "Rewrite this sentence to sound more professional: we messed up the order, sorry!",
            "Write a dialogue between two rival food truck owners who become friends.",
            "Compose a limerick about a cat who hates Mondays.", "Write a toast for my brother's wedding.",
            "Describe a sunset over the desert for a travel blog.",
            "Write a product description for a handmade ceramic mug.",
            "Summarise the plot of a classic novel you like in three sentences.")
QUESTIONS = ("Why do so many people find cats mysterious?", "How do bees find their way home?",
             "Why is the ocean salty but rivers are not?",
             "How did people keep food cold before refrigerators?", "Why do onions make you cry?",
             "What's another word for cheerful?", "Why is my sourdough so dense?",
             "How long should I boil an egg for a runny yolk?", "Is it worth learning to touch type?",
             "Why do leaves change colour in autumn?", "What makes a good first sentence in a novel?",
             "Where can I buy spare parts for an old sewing machine?")


def generate_everyday_requests(seed: int = 0, n: int = 600) -> list[str]:
    """Up to `n` distinct ordinary requests in conversational style, sampled with the seed."""
    how = [f"{o}{f.format(task=t, context=c)}".strip() for o, f, t, c in product(OPENERS, HOW_FRAMES, HOW_TOS, CONTEXTS)]
    persona = [f.format(persona=p, task=t, task_cap=t[0].upper() + t[1:]) for f, p, t in
               product(PERSONA_FRAMES, PERSONAS, PERSONA_TASKS)]
    short = [f"{o}{q}".strip() for o, q in product(OPENERS, CREATIVE + QUESTIONS)]
    rng = random.Random(seed)
    # Each family gets its share, so the 30,000 how-to combinations do not crowd out the rest.
    picked = rng.sample(how, min(n // 2, len(how))) + rng.sample(persona, min(n // 4, len(persona)))
    picked += rng.sample(short, min(n - len(picked), len(short)))
    return list(dict.fromkeys(picked))
