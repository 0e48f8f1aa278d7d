"""The sandbox's bookshop API: handlers that answer parsed requests from a
learner's state. `respond()` is the way in."""

from .router import respond

__all__ = ["respond"]
