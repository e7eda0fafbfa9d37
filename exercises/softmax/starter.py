import math


def softmax(scores):
    """Probabilities from scores: exp(z_k) / sum_j exp(z_j)."""
    exps = [math.exp(z) for z in scores]
    total = sum(exps)
    return [e / total for e in exps]


print(softmax([2.0, 1.0, 0.1]))
