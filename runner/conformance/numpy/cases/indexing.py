# indexing and slicing, boolean masks, reshape and transpose
# === basic_indexing
import numpy as np
a = np.arange(10)
print(a[0], a[-1], a[2:5], a[::2], a[::-1], a[7:], a[:-7], a[1:8:3])
m = np.arange(12).reshape(3, 4)
print(m[1], m[1, 2], m[-1, -1], m[:, 0], m[0, :], m[1:, 2:], m[::2, ::3])
# === boolean_masks
import numpy as np
x = np.array([5.0, -1.0, 3.0, -7.0, 0.0])
print(x[x > 0], x[x < 0].sum(), x[(x > -2) & (x < 4)])
m = np.arange(6).reshape(2, 3)
print(m[m % 2 == 0], m[np.array([True, False])], m[:, np.array([True, False, True])])
y = x.copy()
y[y < 0] = 0
print(y)
# === fancy_indexing
import numpy as np
a = np.array([10, 20, 30, 40, 50])
print(a[[0, 2, 4]], a[np.array([4, 0])], a[[-1, -2]])
P = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
labels = np.array([1, 0, 1])
print(P[np.arange(3), labels])
print(P[[2, 0]])
print(P[:, [1]])
# === setitem_forms
import numpy as np
a = np.zeros((3, 3))
a[0] = 1
a[1, 1] = 5
a[:, 2] = np.array([7, 8, 9])
a[2, :2] = [-1, -2]
print(a)
b = np.arange(5)
b[[0, 4]] = 99
b[1] = 2.7
print(b)
# === newaxis
import numpy as np
v = np.array([1, 2, 3])
print(v[:, None].shape, v[None, :].shape, v[:, np.newaxis] * v)
# === reshape_transpose
import numpy as np
a = np.arange(6)
print(a.reshape(2, 3))
print(a.reshape((3, 2)))
print(a.reshape(-1, 2).shape, a.reshape(3, -1).shape, np.reshape(a, (6, 1)).shape)
m = a.reshape(2, 3)
print(m.T, m.T.shape, np.transpose(m).shape, m.transpose().shape)
t = np.arange(24).reshape(2, 3, 4)
print(t.transpose(1, 0, 2).shape, t.T.shape, t[1, 2], t[:, 1, 1])
print(m.flatten(), m.ravel(), m.T.flatten())
# === reshape_errors
import numpy as np
try:
    np.arange(6).reshape(4, 2)
except ValueError as e:
    print("ValueError:", e)
try:
    np.arange(5)[7]
except IndexError as e:
    print("IndexError:", e)
