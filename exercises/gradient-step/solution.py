from tinyml import load_iris


def gradient(w, b, xs, ys):
    """(dL/dw, dL/db) of the mean squared error of the line y = w * x + b."""
    n = len(xs)
    errors = [w * x + b - y for x, y in zip(xs, ys)]
    dw = 2 / n * sum(e * x for e, x in zip(errors, xs))
    db = 2 / n * sum(errors)
    return dw, db


def step(w, b, xs, ys, lr):
    """One step of gradient descent: move (w, b) against the gradient."""
    dw, db = gradient(w, b, xs, ys)
    return w - lr * dw, b - lr * db


# The four flowers of the lesson, at the guess w = 0.4, b = -0.3.
dw, db = gradient(0.4, -0.3, [1.4, 4.7, 4.5, 6.0], [0.2, 1.4, 1.5, 2.5])
print(round(dw, 4), round(db, 4))

# All 150 iris flowers: petal length (column 2) predicts petal width (column 3).
X, _ = load_iris()
xs = [row[2] for row in X]
ys = [row[3] for row in X]
w, b = 0.0, 0.0
for _ in range(3):
    w, b = step(w, b, xs, ys, lr=0.01)
    print(round(w, 4), round(b, 4))
