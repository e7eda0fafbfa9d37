"""Softmax regression with plain Python lists.

The chapter "Classification with softmax and cross-entropy" includes the
parts of this file between the ANCHOR markers.
"""
# ANCHOR: naive
import math


def softmax_naive(z):
    """Textbook softmax: overflows as soon as a score passes about 709."""
    exps = [math.exp(v) for v in z]
    total = sum(exps)
    return [e / total for e in exps]
# ANCHOR_END: naive


# ANCHOR: stable
def softmax(z):
    """Softmax of a list of scores, safe for any finite scores.

    Subtracting the largest score changes nothing mathematically
    (the factor exp(-m) cancels), but it makes every exponent <= 0,
    so math.exp never overflows and the largest term is exactly 1.
    """
    m = max(z)
    exps = [math.exp(v - m) for v in z]
    total = sum(exps)
    return [e / total for e in exps]
# ANCHOR_END: stable


# ANCHOR: cross_entropy
def cross_entropy(z, y):
    """-log softmax(z)[y], computed with the log-sum-exp trick."""
    m = max(z)
    log_sum = m + math.log(sum(math.exp(v - m) for v in z))
    return log_sum - z[y]
# ANCHOR_END: cross_entropy


# ANCHOR: model
def scores(W, b, x):
    """One score (logit) per class: z_k = w_k . x + b_k."""
    return [sum(wj * xj for wj, xj in zip(w_k, x)) + b_k
            for w_k, b_k in zip(W, b)]


def predict(W, b, x):
    """The class with the highest score."""
    z = scores(W, b, x)
    return z.index(max(z))
# ANCHOR_END: model


# ANCHOR: train
def train(X, Y, n_classes, lr=0.1, epochs=200):
    """Full-batch gradient descent on the mean cross-entropy."""
    n, d = len(X), len(X[0])
    W = [[0.0] * d for _ in range(n_classes)]
    b = [0.0] * n_classes
    for _ in range(epochs):
        gW = [[0.0] * d for _ in range(n_classes)]
        gb = [0.0] * n_classes
        for x, y in zip(X, Y):
            p = softmax(scores(W, b, x))
            for k in range(n_classes):
                g = p[k] - (1.0 if k == y else 0.0)   # dL/dz_k = p_k - y_k
                gb[k] += g / n
                for j in range(d):
                    gW[k][j] += g * x[j] / n
        for k in range(n_classes):
            b[k] -= lr * gb[k]
            for j in range(d):
                W[k][j] -= lr * gW[k][j]
    return W, b
# ANCHOR_END: train


if __name__ == "__main__":
    print(softmax([2.0, 1.0, 0.1]))          # about [0.659, 0.242, 0.099]
    print(softmax([1000.0, 999.0, 998.1]))   # the same: only differences matter
    print(cross_entropy([2.0, 1.0, 0.1], 0)) # about 0.417
