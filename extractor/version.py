"""The package version, in a module of its own so every room can import it without the API."""
from __future__ import annotations

__version__ = "0.3.0"
