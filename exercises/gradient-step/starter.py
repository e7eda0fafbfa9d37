import numpy as np
from tinyml import load_iris


def gradient(w, b, x, y):
    """(dL/dw, dL/db) of the mean squared error of the line y = w * x + b."""
    x, y = np.asarray(x), np.asarray(y)
    errors = w * x + b - y
    dw = 0.0  # replace: 2 times the mean of errors * x
    db = 0.0  # replace: 2 times the mean of the errors
    return dw, db


def step(w, b, x, y, lr):
    """One step of gradient descent: move (w, b) against the gradient."""
    dw, db = gradient(w, b, x, y)
    return w, b  # replace: step each parameter by -lr times its derivative


# The four flowers of the lesson, at the guess w = 0.4, b = -0.3.
dw, db = gradient(0.4, -0.3, [1.4, 4.7, 4.5, 6.0], [0.2, 1.4, 1.5, 2.5])
print(round(dw, 4), round(db, 4))

# All 150 iris flowers: petal length (column 2) predicts petal width (column 3).
X, _ = load_iris()
X = np.array(X)
x, y = X[:, 2], X[:, 3]
w, b = 0.0, 0.0
for _ in range(3):
    w, b = step(w, b, x, y, lr=0.01)
    print(round(w, 4), round(b, 4))
