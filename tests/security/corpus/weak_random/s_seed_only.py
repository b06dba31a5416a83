"""Seeding produces no value; only the generators do."""
# expect: none
# features: weakness-direct-call
import random


def reproducible(seed: int) -> None:
    random.seed(seed)
