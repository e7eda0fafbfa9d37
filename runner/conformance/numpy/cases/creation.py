# creating arrays: array, zeros, ones, arange, linspace, shape, ndim, dtype
# === array_from_lists
import numpy as np
a = np.array([1, 2, 3])
b = np.array([[1.5, 2.0], [3.0, 4.25]])
c = np.array([True, False, True])
for x in (a, b, c):
    print(x.shape, x.ndim, x.dtype, x.size)
    print(x)
print(np.array([1, 2.5]).dtype, np.array([True, 2]).dtype)
# === array_dtype_argument
import numpy as np
print(np.array([1, 2, 3], dtype=float))
print(np.array([1.7, -2.2, 3.9], dtype=int))
print(np.array([0, 1, 2], dtype=bool))
print(np.array([1, 2], dtype=np.float64).dtype, np.array([1.0], dtype="int64").dtype)
# === zeros_ones_full
import numpy as np
print(np.zeros(3))
print(np.ones((2, 3)))
print(np.zeros((2, 2), dtype=int))
print(np.full((2, 2), 7))
print(np.zeros_like(np.array([[1, 2], [3, 4]])))
print(np.ones_like(np.array([1.5, 2.5])))
print(np.eye(3))
# === arange_forms
import numpy as np
print(np.arange(5))
print(np.arange(2, 8))
print(np.arange(0, 1, 0.25))
print(np.arange(10, 0, -3))
print(np.arange(5.0).dtype, np.arange(5).dtype, np.arange(0).shape)
# === linspace_forms
import numpy as np
print(np.linspace(0, 1, 5))
print(np.linspace(-1, 1, 4))
print(np.linspace(0, 10, 4, endpoint=False))
x = np.linspace(0, 1, 11)
print(x.shape, x[3], x[-1])
# === shape_ndim_functions
import numpy as np
m = np.ones((3, 4))
print(np.shape(m), np.ndim(m), np.shape([1, 2]), np.ndim([[1], [2]]))
print(len(m), len(np.arange(7)))
# === tolist_item_astype_copy
import numpy as np
a = np.array([[1, 2], [3, 4]])
print(a.tolist(), a.astype(float).tolist(), a[0, 1].item() if hasattr(a[0, 1], "item") else a[0, 1])
f = np.array([0.5, 1.5, -2.7])
print(f.astype(int), f.astype(bool))
b = a.copy()
b[0, 0] = 100
print(a[0, 0], b[0, 0])
print(np.array([7.5]).item(), np.arange(3).tolist())
# === iteration_and_builtins
import numpy as np
a = np.array([3.0, 1.0, 2.0])
print(sum(a), max(a), min(a), a.tolist(), len(list(a)))
for row in np.arange(6).reshape(3, 2):
    print(row, row.sum())
for i, x in enumerate(np.array([10, 20])):
    print(i, x)
print([float(v) for v in a], 2.0 in a, 5.0 in a)
