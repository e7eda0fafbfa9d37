import math

NAMES = [
    "emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia",
    "harper", "evelyn", "abigail", "ella", "liam", "noah", "oliver",
    "elijah", "lucas", "mason", "logan", "ethan", "aiden", "leo",
    "nora", "lena", "anna", "hannah", "elena", "jonas", "milan",
]
ALPHABET = "." + "abcdefghijklmnopqrstuvwxyz"   # "." marks start and end


def count_bigrams(names):
    """counts[a][b] = how often character b follows character a."""
    counts = {a: {b: 0 for b in ALPHABET} for a in ALPHABET}
    for name in names:
        chars = "." + name + "."
        for a, b in zip(chars, chars[1:]):
            counts[a][b] += 1
    return counts


def normalise(counts, alpha=1.0):
    """P(b | a) with add-alpha smoothing: no pair gets probability zero."""
    probs = {}
    for a in ALPHABET:
        total = sum(counts[a].values()) + alpha * len(ALPHABET)
        probs[a] = {b: (counts[a][b] + alpha) / total for b in ALPHABET}
    return probs


def next_random(state):
    """A tiny linear congruential generator: returns (new state, u in [0, 1))."""
    state = (1664525 * state + 1013904223) % 4294967296
    return state, state / 4294967296


def sample_name(probs, state, max_len=20):
    """Draws characters until the end marker; returns (name, new state)."""
    name, current = "", "."
    while len(name) < max_len:
        state, u = next_random(state)
        # Walk the row in alphabet order until the running total passes u.
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


counts = count_bigrams(NAMES)
probs = normalise(counts, alpha=0.1)
state = 42
for _ in range(8):
    name, state = sample_name(probs, state)
    print(name)
