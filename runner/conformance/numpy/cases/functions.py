# concatenate/stack, argsort, unique, allclose, round, sort
# === concatenate_stack
import numpy as np
a = np.array([[1, 2], [3, 4]])
b = np.array([[5, 6]])
print(np.concatenate([a, b]))
print(np.concatenate([a, a], axis=1))
print(np.concatenate([np.array([1.0]), np.array([2, 3])]))
print(np.stack([np.array([1, 2]), np.array([3, 4])]))
print(np.stack([np.array([1, 2]), np.array([3, 4])], axis=1))
print(np.vstack([np.array([1, 2]), np.array([3, 4])]).shape)
# === argsort_sort
import numpy as np
x = np.array([0.3, -1.2, 2.5, 0.0, 1.1])
print(np.argsort(x), x.argsort(), x[np.argsort(x)], np.sort(x))
print(np.argsort(-x)[:3])
m = np.array([[3, 1, 2], [9, 7, 8]])
print(np.argsort(m), np.argsort(m, axis=0), np.sort(m, axis=1))
# === unique_counts
import numpy as np
labels = np.array([2, 0, 1, 2, 2, 0])
print(np.unique(labels))
values, counts = np.unique(labels, return_counts=True)
print(values, counts, values[np.argmax(counts)])
print(np.unique(np.array([[1.5, 0.5], [1.5, 2.0]])))
# === allclose_round
import numpy as np
a = np.array([1.0, 2.0, 3.0])
print(np.allclose(a, a + 1e-9), np.allclose(a, a + 1e-3), np.allclose(0.1 + 0.2, 0.3))
print(np.round(np.array([1.2345, 2.5, 3.5, -0.5]), 2), np.round(np.array([2.5, 3.5, -0.5])))
print(np.array([0.123456, 9.87654]).round(3), np.array_equal(a, np.array([1, 2, 3])))
# === isnan_inf
import numpy as np
x = np.array([1.0, np.nan, np.inf, -np.inf])
print(x, np.isnan(x), np.pi, np.e)
print(np.array([0.0, 1.0]) / np.array([1.0, 4.0]))
# === linalg_norm
import numpy as np
v = np.array([3.0, 4.0])
print(np.linalg.norm(v), np.linalg.norm(np.array([[1.0, 2.0], [2.0, 4.0]]), axis=1))
