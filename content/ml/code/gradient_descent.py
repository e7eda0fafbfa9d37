"""Fitting a line by gradient descent, with plain Python lists.

The chapter "Gradient descent" includes the parts of this file between
the ANCHOR markers.
"""

# ANCHOR: data
# Petal length (x) and petal width (y), in cm, of four iris flowers.
xs = [1.4, 4.7, 4.5, 6.0]
ys = [0.2, 1.4, 1.5, 2.5]
# ANCHOR_END: data


# ANCHOR: loss
def mse(w, b, xs, ys):
    """Mean squared error of the line y = w * x + b."""
    n = len(xs)
    return sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / n
# ANCHOR_END: loss


# ANCHOR: gradient
def gradient(w, b, xs, ys):
    """(dL/dw, dL/db) of the mean squared error."""
    n = len(xs)
    errors = [w * x + b - y for x, y in zip(xs, ys)]
    dw = 2 / n * sum(e * x for e, x in zip(errors, xs))
    db = 2 / n * sum(errors)
    return dw, db
# ANCHOR_END: gradient


# ANCHOR: loop
def fit(xs, ys, lr=0.01, steps=2000, report_every=500):
    w, b = 0.0, 0.0
    for step in range(steps + 1):
        if step % report_every == 0:
            print(step, round(w, 4), round(b, 4), round(mse(w, b, xs, ys), 5))
        dw, db = gradient(w, b, xs, ys)
        w = w - lr * dw
        b = b - lr * db
    return w, b
# ANCHOR_END: loop


# ANCHOR: check
def check_gradient(w, b, xs, ys, h=1e-6):
    """Compare the formula with central finite differences."""
    dw, db = gradient(w, b, xs, ys)
    dw_num = (mse(w + h, b, xs, ys) - mse(w - h, b, xs, ys)) / (2 * h)
    db_num = (mse(w, b + h, xs, ys) - mse(w, b - h, xs, ys)) / (2 * h)
    return abs(dw - dw_num), abs(db - db_num)
# ANCHOR_END: check


if __name__ == "__main__":
    w, b = fit(xs, ys)
    print(check_gradient(0.4, -0.3, xs, ys))
