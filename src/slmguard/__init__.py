"""slmguard: a small language model as the safety guardian of an AI application."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Guard", "SlmGuardian", "Verdict", "Message", "__version__"]

if TYPE_CHECKING:
    from slmguard.core.types import Message, Verdict
    from slmguard.respond.guard import Guard
    from slmguard.respond.slm_guardian import SlmGuardian


def __getattr__(name: str):
    # Lazy so that `import slmguard` and `slmguard --help` stay fast (no torch import).
    if name == "Guard":
        from slmguard.respond.guard import Guard

        return Guard
    if name == "SlmGuardian":
        from slmguard.respond.slm_guardian import SlmGuardian

        return SlmGuardian
    if name in ("Verdict", "Message"):
        from slmguard.core import types

        return getattr(types, name)
    raise AttributeError(name)
