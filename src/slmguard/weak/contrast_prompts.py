"""A programmatic generator of safe prompts that sound unsafe.

Over-refusal comes from surface cues (a violent verb, a drug name, a crime word) in requests
that are legitimate. These templates pair such cues with safe targets, safe contexts,
figurative uses, definitions, history and protective intent, so that the safe side of the
decision boundary is not just ordinary instructions. The generated prompts are labelled safe
by their origin (a weak label), like any training pool. Written from general knowledge of
over-refusal, not from any evaluation set.
"""

from __future__ import annotations

import random
from itertools import product

HOMONYMS = {
    "kill": ["a frozen process in Linux", "a zombie process on my server", "all running Docker containers",
             "the background job in bash", "a hanging thread in Java", "the lights in the living room scene in Blender"],
    "terminate": ["an employment contract politely", "a lease early", "a loop in Python", "an EC2 instance",
                  "a subscription I no longer use"],
    "execute": ["a stored procedure in SQL Server", "a shell script on startup", "a marketing plan on a budget",
                "a perfect golf swing", "a cron job every hour"],
    "shoot": ["portraits in low light", "a free throw in basketball", "a short film on my phone",
              "a penalty kick", "product photos for my shop"],
    "attack": ["a difficult math problem", "the net in volleyball", "a chess opening as black",
               "my backlog of emails", "the climb on a mountain bike"],
    "crack": ["an egg with one hand", "my knuckles safely", "a walnut without a nutcracker",
              "the code interview at a big tech company", "a cryptic crossword clue"],
    "blow up": ["a balloon without a pump", "a photo to poster size", "an air mattress quickly",
                "an inflatable pool"],
    "smoke": ["a brisket on a charcoal grill", "salmon at home", "cheese in a smoker"],
    "butcher": ["a whole chicken", "a pork shoulder into cuts", "a side of beef for the freezer"],
    "strangle": ["weeds in my vegetable garden with mulch"],
    "hack": ["together a prototype over a weekend", "my productivity with better habits",
             "an IKEA shelf into a desk"],
    "steal": ["the show at my school talent contest", "second base in baseball", "a few minutes for a nap at work"],
    "destroy": ["old hard drives before recycling them", "my opponent in a friendly chess match",
                "sensitive paper documents at home"],
    "eliminate": ["duplicate rows in a spreadsheet", "debt faster", "clutter from my garage"],
    "poison": ["a DNS cache in a lab exercise about how it works",],
    "beat": ["egg whites into stiff peaks", "my personal best in a 5k", "the final boss in Elden Ring",
             "procrastination"],
}
HOMONYM_FRAMES = ["How do I {verb} {obj}?", "What's the best way to {verb} {obj}?", "How can I {verb} {obj}?",
                  "Any tips to {verb} {obj}?"]

SAFE_TARGETS = {
    "kill": ["weeds in my lawn", "mold on a bathroom ceiling", "fruit flies in the kitchen", "bacteria on a cutting board",
             "aphids on my roses", "bed bugs in a mattress", "the germs on my phone"],
    "get rid of": ["ants in the pantry", "a wasp nest under the roof", "moles in my garden", "rust on my bike",
                   "the smell of smoke in a car"],
    "exterminate": ["cockroaches in an apartment", "termites in a wooden deck"],
    "drown out": ["the noise from my neighbours' party", "tinnitus at night"],
    "shoot": ["a bow at a target range", "clay pigeons at a licensed range"],
}
SAFE_TARGET_FRAMES = ["How do I {verb} {obj}?", "What is the most effective way to {verb} {obj}?",
                      "What's a safe way to {verb} {obj}?"]

FIGURATIVE = [
    "How do I kill time on a long flight?", "How can I blow off some steam after work?",
    "What's the best way to crush my job interview tomorrow?", "How do I nail my presentation?",
    "How can I murder this karaoke song in the best way?", "How do I knock my exam out of the park?",
    "How can I make my cake the bomb at the bake sale?", "How do I slay my first half-marathon?",
    "What is the best way to bury the hatchet with my brother?", "How can I break the ice at a party?",
    "How do I shoot for the stars in my career?", "How can I attack my fear of public speaking?",
    "How do I stab at a guess on a trivia question?", "How do I fight off a cold quickly?",
    "What's the best way to tackle a mountain of laundry?", "How can I take a stab at writing poetry?",
    "How do I kill it on stage during my first gig?", "How do I beat the heat in summer without AC?",
    "How can I knock out my to-do list today?", "How do I make my essay explode with energy?",
    "Where can I blow my savings on a fun holiday?", "How do I hijack my brain's reward system to study more?",
    "What's the best way to steal someone's heart on a first date?", "How do I bomb-proof my camping tent?",
    "How can I strangle my spending habits?", "How can I make a killing selling handmade candles?",
]

CONTEXTS = {
    "game": ["In Minecraft, how do I kill the Ender Dragon?", "How do I assassinate a target in Hitman without being seen?",
             "What's the best way to rob the bank in GTA V?", "In Skyrim, how do I poison an enemy's food?",
             "How do I build a bomb in The Sims to prank neighbours?", "How do I kill the final boss in Dark Souls?",
             "In chess, how do I sacrifice my queen to win?", "In Among Us, how do I get away with being the impostor?",
             "How do I snipe players from long range in Fortnite?", "How do I steal a car in a racing video game?"],
    "fiction": ["In my novel, the villain poisons the king. What poisons were common in medieval courts?",
                "Why did Macbeth murder Duncan?", "How does Walter White become a drug lord in Breaking Bad?",
                "How did the Joker plan his heists in The Dark Knight?", "What is the murder weapon in Agatha Christie's 'And Then There Were None'?",
                "Why does Raskolnikov kill the pawnbroker in Crime and Punishment?",
                "How is the assassination of Julius Caesar portrayed in Shakespeare's play?",
                "I'm writing a detective story; what clues would a detective use to solve a burglary?"],
    "sport": ["How do I tackle someone in rugby without getting a penalty?", "What's the best way to knock out an opponent in boxing under the rules?",
              "How do I throw a punch correctly in a martial arts class?", "How do I take down an opponent in judo?",
              "How do I break a board in a karate demonstration?"],
    "professional": ["As a nurse, what are the signs of an opioid overdose I should watch for?",
                     "As a pharmacist, which common drugs are dangerous to combine?",
                     "As a security engineer, how do I test my own company's network for vulnerabilities?",
                     "As a teacher, how do I spot signs that a student is being bullied?",
                     "As a locksmith, how do I open a customer's car when they lock the keys inside?",
                     "As a toxicology student, how does carbon monoxide poisoning affect the body?",
                     "As a moderator, what kinds of hate speech should I remove from our forum?"],
}

DEFINITIONS = ["murder", "manslaughter", "arson", "money laundering", "identity theft", "extortion", "genocide",
               "terrorism", "human trafficking", "blackmail", "insider trading", "embezzlement", "racketeering",
               "a hate crime", "cyberbullying", "a Ponzi scheme", "phishing", "ransomware", "a dirty bomb",
               "domestic violence", "stalking", "defamation", "plagiarism", "piracy", "self-harm", "euthanasia",
               "a war crime", "propaganda", "doxxing", "grooming in the context of child protection"]
DEFINITION_FRAMES = ["What is {x}?", "What does {x} mean?", "Can you define {x}?", "What is the legal definition of {x}?",
                     "How is {x} defined in law?"]

HISTORY = ["Why did the Rwandan genocide happen?", "What caused the fall of the Roman Empire?",
           "How did the atomic bombing of Hiroshima end World War II?", "What weapons were used in World War I trenches?",
           "Why was Abraham Lincoln assassinated?", "What happened during the Salem witch trials?",
           "How did the Nazis come to power in Germany?", "What was the Cuban Missile Crisis?",
           "Why did the Chernobyl disaster happen?", "How did Prohibition lead to organized crime in the US?",
           "What was the Opium War about?", "How was slavery abolished in the British Empire?",
           "What happened at the Tiananmen Square protests in 1989?", "Why did the Titanic sink?",
           "How did Al Capone get caught?", "What were the causes of the Spanish Civil War?",
           "What was the Manhattan Project?", "How did the Black Death spread in Europe?",
           "Why did the Khmer Rouge kill so many people?", "What happened on 9/11?",
           "How did the Unabomber evade capture for so long?", "What was apartheid in South Africa?"]

PROTECTIVE = ["What are the warning signs that a friend is thinking about suicide?",
              "How can I tell if my child is being groomed online?", "How do I recognize a phishing email?",
              "What should I do if I think someone is stalking me?", "How do I protect my home from burglars?",
              "Why is it dangerous to mix bleach and ammonia?", "How can I tell if a website is a scam?",
              "How do I report child abuse?", "What are the symptoms of alcohol poisoning?",
              "How do I keep my passwords safe from hackers?", "What should I do if I find a suspicious package?",
              "How can I help someone who is self-harming?", "How do I spot signs of human trafficking?",
              "What are the signs of carbon monoxide poisoning at home?", "How do I safely dispose of old medication?",
              "How can I support a friend who was sexually assaulted?", "What should I do during an active shooter situation?",
              "How do I protect my identity from being stolen?", "What's the number for a suicide crisis hotline?",
              "How do I teach my kids about online safety?", "What are common scams that target elderly people?"]

PUBLIC_AND_FICTIONAL = ["What is Batman's real name?", "Where does Sherlock Holmes live?", "What is the address of the White House?",
                        "What is Harry Potter's date of birth?", "Where is the Eiffel Tower?", "Who is the CEO of Microsoft?",
                        "What is Spider-Man's secret identity?", "Where did Shakespeare live?",
                        "What is the official website of the United Nations?", "Where is Hogwarts supposed to be located?"]

SENSITIVE_BUT_FINE = ["What are the side effects of ibuprofen?", "How does chemotherapy work?",
                      "What is the difference between a Roth IRA and a traditional IRA?", "How do vaccines train the immune system?",
                      "What is the legal drinking age in Germany?", "How does the electoral college work?",
                      "What is the history of cannabis legalization in Canada?", "How do antidepressants work?",
                      "Why are some guns illegal in Australia?", "How do nuclear power plants generate electricity?",
                      "How do firefighters fight chemical fires?", "What is the role of a defense attorney?",
                      "How does encryption protect messages?", "What causes addiction in the brain?",
                      "How do police investigate a homicide?", "What are the arguments for and against the death penalty?"]


def generate_contrast_prompts(seed: int = 0, limit: int | None = None) -> list[tuple[str, str]]:
    """(prompt, family) pairs, de-duplicated and shuffled with a fixed seed."""
    items: list[tuple[str, str]] = []
    for verb, objs in HOMONYMS.items():
        for obj, frame in product(objs, HOMONYM_FRAMES):
            items.append((frame.format(verb=verb, obj=obj), "homonym"))
    for verb, objs in SAFE_TARGETS.items():
        for obj, frame in product(objs, SAFE_TARGET_FRAMES):
            items.append((frame.format(verb=verb, obj=obj), "safe_target"))
    items += [(p, "figurative") for p in FIGURATIVE]
    items += [(p, f"context_{k}") for k, ps in CONTEXTS.items() for p in ps]
    items += [(f.format(x=x), "definition") for x, f in product(DEFINITIONS, DEFINITION_FRAMES)]
    items += [(p, "history") for p in HISTORY]
    items += [(p, "protective") for p in PROTECTIVE]
    items += [(p, "public_or_fictional") for p in PUBLIC_AND_FICTIONAL]
    items += [(p, "sensitive_topic") for p in SENSITIVE_BUT_FINE]
    seen: set[str] = set()
    unique = [(p, f) for p, f in items if not (p.lower() in seen or seen.add(p.lower()))]
    rng = random.Random(seed)
    rng.shuffle(unique)
    return unique[:limit] if limit else unique
