"""EAS SAME (47 CFR 11.31): header text, AFSK audio, and a decoder of our own."""
