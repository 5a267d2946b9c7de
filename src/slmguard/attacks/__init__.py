"""Attacks on safeguards and what they cost: prompt-level jailbreaks and obfuscations, weight-level\nfine-tuning and interpolation, and the durability suite that measures them."""
