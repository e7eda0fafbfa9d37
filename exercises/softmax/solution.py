import math


def softmax(scores):
    """Probabilities from scores: exp(z_k - m) / sum_j exp(z_j - m), m the largest score."""
    m = max(scores)
    exps = [math.exp(z - m) for z in scores]
    total = sum(exps)
    return [e / total for e in exps]


print(softmax([2.0, 1.0, 0.1]))
