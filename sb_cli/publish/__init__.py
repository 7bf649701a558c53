"""`sb publish`: the public register as a static website (SPEC §8)."""
