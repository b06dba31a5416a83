"""Random sort keys for weighted sampling: "keys" here are no secret (a key is one only as a word)."""
# features: weakness-secret-naming
# expect: none
import random


def weighted_sample(items, weights):
    weight_keys = [random.random() ** (1.0 / weight) for weight in weights]
    return [item for _, item in sorted(zip(weight_keys, items))]
