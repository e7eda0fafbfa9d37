# The lesson's example row: "." with probability 0.1, "a" 0.3 and "b" 0.6. Over
# 3,000 one-letter names the three outcomes must come out in about those shares.
row = {b: 0.0 for b in ALPHABET}
row["."] = 0.1
row["a"] = 0.3
row["b"] = 0.6
probs = {a: {b: (1.0 if b == "." else 0.0) for b in ALPHABET} for a in ALPHABET}
probs["."] = row

tally = {"": 0, "a": 0, "b": 0}
state = 1
for _ in range(3000):
    name, state = sample_name(probs, state)
    assert name in tally, f"drew {name!r}, which has probability 0"
    tally[name] += 1
for name, p in [("", 0.1), ("a", 0.3), ("b", 0.6)]:
    share = tally[name] / 3000
    assert abs(share - p) < 0.03, f"{name or 'the empty name'} came out {share:.3f} of the time, expected about {p}"
