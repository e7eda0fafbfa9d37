# Compares the student's softmax with tinyml's on a few score vectors, including
# one long vector and one with equal scores.
import tinyml

cases = [[0.0], [3.0, 3.0, 3.0], [1.0, 2.0, 5.0], [-2.5, 0.0, 7.25, 1.0], [0.01 * i for i in range(50)]]
for scores in cases:
    p = softmax(scores)
    assert len(p) == len(scores), f"softmax({scores}) returned {len(p)} numbers instead of {len(scores)}"
    assert all(x > 0 for x in p), f"softmax({scores}) has a probability that is not positive"
    assert abs(sum(p) - 1) < 1e-9, f"softmax({scores}) sums to {sum(p)}, not 1"
    expected = tinyml.softmax(scores)
    assert all(abs(a - b) < 1e-9 for a, b in zip(p, expected)), f"softmax({scores}) should be {expected}"
