"""A character bigram language model with plain Python.

The chapter "A bigram language model for names" includes the parts of
this file between the ANCHOR markers.
"""
# ANCHOR: data
import math

NAMES = [
    "emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia",
    "harper", "evelyn", "abigail", "ella", "liam", "noah", "oliver",
    "elijah", "lucas", "mason", "logan", "ethan", "aiden", "leo",
    "nora", "lena", "anna", "hannah", "elena", "jonas", "milan",
]
ALPHABET = "." + "abcdefghijklmnopqrstuvwxyz"   # "." marks start and end
# ANCHOR_END: data


# ANCHOR: count
def count_bigrams(names):
    """counts[a][b] = how often character b follows character a."""
    counts = {a: {b: 0 for b in ALPHABET} for a in ALPHABET}
    for name in names:
        chars = "." + name + "."
        for a, b in zip(chars, chars[1:]):
            counts[a][b] += 1
    return counts
# ANCHOR_END: count


# ANCHOR: normalise
def normalise(counts, alpha=1.0):
    """P(b | a) with add-alpha smoothing: no pair gets probability zero."""
    probs = {}
    for a in ALPHABET:
        total = sum(counts[a].values()) + alpha * len(ALPHABET)
        probs[a] = {b: (counts[a][b] + alpha) / total for b in ALPHABET}
    return probs
# ANCHOR_END: normalise


# ANCHOR: rng
def next_random(state):
    """A tiny linear congruential generator: returns (new state, u in [0, 1))."""
    state = (1664525 * state + 1013904223) % 4294967296
    return state, state / 4294967296
# ANCHOR_END: rng


# ANCHOR: sample
def sample_name(probs, state, max_len=20):
    """Draws characters until the end marker; returns (name, new state)."""
    name, current = "", "."
    while len(name) < max_len:
        state, u = next_random(state)
        cumulative = 0.0
        for b in ALPHABET:
            cumulative += probs[current][b]
            if u < cumulative:
                break
        if b == ".":
            break
        name += b
        current = b
    return name, state
# ANCHOR_END: sample


# ANCHOR: evaluate
def average_nll(probs, names):
    """Mean negative log-likelihood per predicted character (in nats)."""
    total, n = 0.0, 0
    for name in names:
        chars = "." + name + "."
        for a, b in zip(chars, chars[1:]):
            total -= math.log(probs[a][b])
            n += 1
    return total / n
# ANCHOR_END: evaluate


if __name__ == "__main__":
    counts = count_bigrams(NAMES)
    probs = normalise(counts, alpha=0.1)
    state = 42
    for _ in range(8):
        name, state = sample_name(probs, state)
        print(name)
    nll = average_nll(probs, NAMES)
    print(round(nll, 3), round(math.exp(nll), 2))
