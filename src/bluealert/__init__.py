"""bluealert: a national Blue Alert network."""

__version__ = "0.1.0"
