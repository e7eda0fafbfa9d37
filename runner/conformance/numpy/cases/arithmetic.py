# broadcasting arithmetic and comparisons, @ / dot / matmul
# === elementwise_arithmetic
import numpy as np
a = np.array([1.0, 2.0, 3.0])
b = np.array([4.0, 5.0, 6.0])
print(a + b, a - b, a * b, a / b)
print(a ** 2, b // a, b % a, -a)
print(2 * a, a + 1, 1 - a, 10 / a)
# === integer_arithmetic_types
import numpy as np
a = np.array([1, 2, 3])
print(a + 1, (a + 1).dtype)
print(a / 2, (a / 2).dtype)
print(a // 2, a % 2, a * 2.5, a ** 2)
print(a + True, (a + 0.0).dtype)
print(np.array([7, -7]) // 2, np.array([7, -7]) % 3)
# === broadcasting_rows_columns
import numpy as np
m = np.arange(6).reshape(2, 3)
print(m + np.array([10, 20, 30]))
print(m * np.array([[1], [-1]]))
col = np.array([1.0, 2.0]).reshape(2, 1)
row = np.array([1.0, 2.0, 3.0])
print(col + row)
print((col * row).shape)
# === broadcasting_errors
import numpy as np
try:
    np.ones(3) + np.ones(4)
except ValueError as e:
    print("ValueError:", e)
try:
    np.ones((2, 3)) @ np.ones((2, 3))
except ValueError as e:
    print("ValueError")
# === comparisons_and_masks
import numpy as np
a = np.array([3, 1, 4, 1, 5])
print(a > 2, a == 1, a != 1, a <= 3, a >= 4, a < 1)
print((a > 1) & (a < 5), (a < 2) | (a > 4), ~(a > 2))
print(np.array([1.0, 2.0]) == np.array([1.0, 3.0]))
# === matmul_dot
import numpy as np
A = np.array([[1.0, 2.0], [3.0, 4.0]])
B = np.array([[0.5, -1.0], [2.0, 0.0]])
v = np.array([1.0, -1.0])
print(A @ B)
print(A @ v, v @ A, v @ v)
print(np.dot(A, B), np.dot(v, v), A.dot(v), np.matmul(A, B))
print(np.dot(3, 4), np.dot(2.0, v))
X = np.arange(6).reshape(3, 2)
print(X.T @ X, (X @ X.T).shape)
# === inplace_updates
import numpy as np
w = np.array([1.0, 2.0, 3.0])
alias = w
g = np.array([0.5, 0.5, 0.5])
w -= 0.1 * g
w *= 2
w += 1
print(w, alias, w is alias)
c = np.zeros((2, 2))
c[0] += 1
c[:, 1] -= 3
print(c)
n = 5
n += 2
items = [1]
items += [2]
print(n, items)
# === math_functions
import numpy as np
x = np.array([0.5, 1.0, 2.0, 4.0])
print(np.exp(x))
print(np.log(x))
print(np.sqrt(x))
print(np.abs(np.array([-1.5, 2.0, -3])), abs(np.array([-2, 3])))
print(np.exp(0.0), np.sqrt(16.0), np.log(1.0))
print(np.tanh(np.array([0.0, 1.0])), np.square(np.array([2, -3])))
# === clip_where_maximum_minimum
import numpy as np
x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
print(np.clip(x, -1, 1), x.clip(0, None), np.clip(np.array([1, 5, 9]), 2, 6))
print(np.where(x > 0, x, 0.0))
print(np.where(x > 0, 1, -1))
print(np.maximum(x, 0), np.minimum(x, 0.25), np.maximum(np.array([1, 5]), np.array([3, 2])))
print(np.where(np.array([0, 3, 0, 5]) > 0))
# === relu_sigmoid_softmax
import numpy as np
z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
relu = np.maximum(0, z - 2)
sig = 1 / (1 + np.exp(-z))
e = np.exp(z - z.max(axis=1, keepdims=True))
soft = e / e.sum(axis=1, keepdims=True)
print(relu)
print(sig)
print(soft)
print(soft.sum(axis=1))
