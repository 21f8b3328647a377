"""What rendering one plan needs besides the model: the tools, the plan, its fingerprints."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.fingerprint import Fingerprints
from briefing.plan import Plan
from briefing.render.tools import Tools


@dataclass(slots=True)
class Prepared:
    tools: Tools
    plan: Plan
    fingerprints: Fingerprints
