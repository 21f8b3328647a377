"""The base of frozen value classes that are pickled by the thousand.

Python 3.11 pickles a ``dataclass(slots=True)`` through its generic
``__getstate__``, which looks the fields up again for every object: the build
cache of a 10,000-article briefing took seconds to write and read. A value
pickles here as its class and its fields in order, which is all that a frozen
dataclass needs to be rebuilt.
"""

from __future__ import annotations

from typing import Any


class Value:
    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        slots: tuple[str, ...] = getattr(type(self), "__slots__", ())
        return type(self), tuple(getattr(self, name) for name in slots)
