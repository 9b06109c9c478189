"""chaincut: an open-source platform against telecom and network fraud."""

__version__ = "0.1.0"
