# np.random.default_rng: shapes, types, ranges and reproducibility (our streams are not numpy's)
# === rng_normal_uniform_shapes
import numpy as np
rng = np.random.default_rng(0)
n = rng.normal(0.0, 1.0, size=(200, 3))
u = rng.uniform(-1, 1, size=500)
print(n.shape, n.dtype, u.shape, u.dtype)
print(bool((u >= -1).all() and (u < 1).all()))
print(abs(n.mean()) < 0.2, 0.8 < n.std() < 1.2)
print(type(rng.normal()) in (float, np.float64), type(rng.uniform()) in (float, np.float64))
# === rng_integers_permutation
import numpy as np
rng = np.random.default_rng(42)
k = rng.integers(0, 10, size=1000)
print(k.shape, k.dtype, k.min() >= 0, k.max() <= 9, len(np.unique(k)))
p = rng.permutation(10)
print(sorted(p.tolist()) == list(range(10)), p.dtype)
X = np.arange(12).reshape(6, 2)
q = rng.permutation(X)
print(q.shape, sorted(q[:, 0].tolist()) == [0, 2, 4, 6, 8, 10], bool((q[:, 1] == q[:, 0] + 1).all()))
print(rng.integers(5, size=3).shape, 0 <= rng.integers(3) < 3)
# === rng_reproducible
import numpy as np
a = np.random.default_rng(7).normal(size=5)
b = np.random.default_rng(7).normal(size=5)
c = np.random.default_rng(8).normal(size=5)
print(np.array_equal(a, b), np.array_equal(a, c))
# === minibatches_from_permutation
import numpy as np
rng = np.random.default_rng(1)
X = np.arange(20).reshape(10, 2)
order = rng.permutation(len(X))
sizes = []
seen = []
for start in range(0, len(X), 4):
    batch = X[order[start:start + 4]]
    sizes.append(batch.shape[0])
    seen.extend(batch[:, 0].tolist())
print(sizes, sorted(seen) == list(range(0, 20, 2)))
