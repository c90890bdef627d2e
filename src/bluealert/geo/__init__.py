"""US geography: counties and their borders, ZIP codes, alert areas, travel envelopes."""
