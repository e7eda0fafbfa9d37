# Compares gradient() with central finite differences of the loss at random
# points (tinyml's generator is seeded by the exercise, so this is repeatable).
import tinyml


def loss(w, b, xs, ys):
    return sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)


for trial in range(5):
    xs = [tinyml.uniform(-3.0, 3.0) for _ in range(7)]
    ys = [tinyml.normal(1.0, 2.0) for _ in range(7)]
    w, b = tinyml.normal(), tinyml.normal()
    dw, db = gradient(w, b, xs, ys)
    h = 1e-6
    dw_num = (loss(w + h, b, xs, ys) - loss(w - h, b, xs, ys)) / (2 * h)
    db_num = (loss(w, b + h, xs, ys) - loss(w, b - h, xs, ys)) / (2 * h)
    assert abs(dw - dw_num) < 1e-5, f"dL/dw is {dw} but the loss changes at a rate of {dw_num} (w={w}, b={b})"
    assert abs(db - db_num) < 1e-5, f"dL/db is {db} but the loss changes at a rate of {db_num} (w={w}, b={b})"
