# sum/mean/max/min/argmax/argmin/std/var with axis and keepdims
# === reductions_full
import numpy as np
a = np.array([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
print(a.sum(), a.mean(), a.max(), a.min(), a.argmax(), a.argmin())
print(a.std(), a.var(), np.std(a), np.var(a))
print(np.sum(a), np.mean(a), np.max(a), np.min(a), np.argmax(a), np.argmin(a))
# === reductions_axis
import numpy as np
a = np.array([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
for axis in (0, 1, -1):
    print(a.sum(axis=axis), a.mean(axis=axis), a.max(axis=axis), a.min(axis=axis))
    print(a.argmax(axis=axis), a.argmin(axis=axis), a.std(axis=axis), a.var(axis=axis))
# === reductions_keepdims
import numpy as np
a = np.arange(12, dtype=float).reshape(3, 4)
s = a.sum(axis=1, keepdims=True)
print(s, s.shape)
print(a.mean(axis=0, keepdims=True).shape, np.max(a, axis=1, keepdims=True))
print((a - a.mean(axis=0)) / a.std(axis=0))
print(a.sum(keepdims=True), np.sum(a, axis=(0, 1)))
# === integer_reductions
import numpy as np
a = np.array([[3, 1], [2, 8]])
print(a.sum(), a.sum(axis=0), a.max(), a.mean(), a.mean(axis=1), np.sum(np.array([True, True, False])))
print(np.std(a, ddof=1), np.var(np.array([1, 2, 3, 4]), ddof=1))
# === sums_like_numpy
import numpy as np
x = np.full(10, 0.1)
print(x.sum(), x.mean())
y = np.arange(1000) * 0.001
print(y.sum(), y.mean(), y.std())
z = np.linspace(0, 1, 37)
print(z.sum(), (z ** 2).sum(), z.var())
# === any_all
import numpy as np
a = np.array([[0, 1], [0, 0]])
print(a.any(), a.all(), (a == 0).any(axis=1), (a >= 0).all(), np.any(a > 0), np.all(a < 2))
# === mse_and_accuracy
import numpy as np
y_true = np.array([1.0, 2.0, 3.0, 4.0])
y_pred = np.array([1.1, 1.9, 3.2, 3.7])
print(np.mean((y_true - y_pred) ** 2))
print(np.mean(np.abs(y_true - y_pred)))
labels = np.array([0, 1, 1, 0, 1])
preds = np.array([0, 1, 0, 0, 1])
print((labels == preds).mean(), np.sum(labels == preds))
