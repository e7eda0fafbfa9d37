# Typical ML lesson code with lists of floats
# === ml_dot_and_norm
import math

def dot(a, b):
    return sum(x * y for x, y in zip(a, b))

a, b = [1.0, 2.0, 3.0], [4.0, -5.0, 6.0]
print(dot(a, b), math.sqrt(dot(a, a)), round(dot(a, b) / (math.sqrt(dot(a, a)) * math.sqrt(dot(b, b))), 6))
# === ml_mean_std_normalise
xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
mean = sum(xs) / len(xs)
std = (sum((x - mean) ** 2 for x in xs) / len(xs)) ** 0.5
print(mean, std, [round((x - mean) / std, 3) for x in xs])
# === ml_minmax_scale
xs = [3.0, 7.0, 5.0, 11.0]
lo, hi = min(xs), max(xs)
print([(x - lo) / (hi - lo) for x in xs])
# === ml_softmax_stable
import math

def softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]

p = softmax([1.0, 2.0, 3.0])
print([round(v, 6) for v in p], round(sum(p), 12), softmax([1000.0, 1000.0]))
# === ml_cross_entropy
import math

def cross_entropy(p, label):
    return -math.log(p[label])

print(round(cross_entropy([0.1, 0.7, 0.2], 1), 6), round(cross_entropy([0.25] * 4, 0), 6))
# === ml_sigmoid_relu
import math

def sigmoid(x):
    return 1 / (1 + math.exp(-x))

print([round(sigmoid(x), 4) for x in [-2, 0, 2]], [max(0.0, x) for x in [-1.5, 0.0, 2.5]])
# === ml_linear_regression_gd
xs = [1.0, 2.0, 3.0, 4.0]
ys = [3.0, 5.0, 7.0, 9.0]
w, b, lr = 0.0, 0.0, 0.05
for epoch in range(2000):
    gw = sum(2 * (w * x + b - y) * x for x, y in zip(xs, ys)) / len(xs)
    gb = sum(2 * (w * x + b - y) for x, y in zip(xs, ys)) / len(xs)
    w -= lr * gw
    b -= lr * gb
print(round(w, 4), round(b, 4))
# === ml_least_squares_closed_form
xs = [0.0, 1.0, 2.0, 3.0, 4.0]
ys = [1.1, 2.9, 5.2, 7.1, 8.8]
n = len(xs)
mx, my = sum(xs) / n, sum(ys) / n
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
print(round(slope, 4), round(my - slope * mx, 4))
# === ml_logistic_regression
import math

X = [[0.5, 1.0], [1.5, 2.0], [3.0, 0.5], [4.0, 1.5]]
y = [0, 0, 1, 1]
w = [0.0, 0.0]
b = 0.0
for _ in range(500):
    gw = [0.0, 0.0]
    gb = 0.0
    for xi, yi in zip(X, y):
        p = 1 / (1 + math.exp(-(w[0] * xi[0] + w[1] * xi[1] + b)))
        gw = [g + (p - yi) * v for g, v in zip(gw, xi)]
        gb += p - yi
    w = [wi - 0.5 * g / len(X) for wi, g in zip(w, gw)]
    b -= 0.5 * gb / len(X)
preds = [int(1 / (1 + math.exp(-(w[0] * a + w[1] * c + b))) > 0.5) for a, c in X]
print(preds, preds == y)
# === ml_accuracy_confusion_matrix
y_true = [0, 1, 2, 2, 1, 0, 1]
y_pred = [0, 2, 2, 2, 1, 0, 0]
acc = sum(t == p for t, p in zip(y_true, y_pred)) / len(y_true)
cm = [[0] * 3 for _ in range(3)]
for t, p in zip(y_true, y_pred):
    cm[t][p] += 1
print(round(acc, 4))
for row in cm:
    print(row)
# === ml_precision_recall_f1
tp, fp, fn = 8, 2, 4
precision = tp / (tp + fp)
recall = tp / (tp + fn)
f1 = 2 * precision * recall / (precision + recall)
print(f"precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}")
# === ml_one_hot_argmax
labels = [2, 0, 1]
one_hot = [[1.0 if j == y else 0.0 for j in range(3)] for y in labels]
print(one_hot)
scores = [0.1, 0.7, 0.2]
print(max(range(len(scores)), key=scores.__getitem__), scores.index(max(scores)))
# === ml_knn_classify
import math

train = [([1.0, 1.0], "a"), ([1.2, 0.8], "a"), ([5.0, 5.0], "b"), ([5.5, 4.5], "b"), ([0.8, 1.1], "a")]

def knn(x, k=3):
    dists = sorted((math.dist(x, p), label) for p, label in train)
    votes = {}
    for _, label in dists[:k]:
        votes[label] = votes.get(label, 0) + 1
    return max(votes, key=votes.get)

print(knn([1.0, 0.9]), knn([4.8, 5.2]))
# === ml_kmeans_one_dim
points = [1.0, 1.5, 2.0, 8.0, 8.5, 9.0]
centres = [1.0, 9.0]
for _ in range(5):
    groups = [[], []]
    for p in points:
        groups[min(range(2), key=lambda i: abs(p - centres[i]))].append(p)
    centres = [sum(g) / len(g) for g in groups]
print(centres, groups)
# === ml_matmul_lists
def matmul(A, B):
    return [[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] for row in A]

A = [[1.0, 2.0], [3.0, 4.0]]
B = [[0.5, 0.0], [0.0, 2.0]]
print(matmul(A, B), matmul(A, [[1.0], [1.0]]))
# === ml_dense_layer_forward
import math

W = [[0.2, -0.5], [0.8, 0.1], [-0.3, 0.4]]
b = [0.1, -0.2]
x = [1.0, 2.0, 3.0]
h = [sum(xi * W[i][j] for i, xi in enumerate(x)) + b[j] for j in range(2)]
print([round(v, 6) for v in h], [round(math.tanh(v), 6) for v in h])
# === ml_numerical_gradient_check
def f(w):
    return (w[0] - 3) ** 2 + 2 * (w[1] + 1) ** 2

w = [1.0, 1.0]
eps = 1e-6
num = [(f([w[0] + eps, w[1]]) - f([w[0] - eps, w[1]])) / (2 * eps), (f([w[0], w[1] + eps]) - f([w[0], w[1] - eps])) / (2 * eps)]
analytic = [2 * (w[0] - 3), 4 * (w[1] + 1)]
print([round(g, 4) for g in num], analytic)
# === ml_train_test_split_deterministic
data = list(range(20))
test = data[::5]
train = [x for x in data if x % 5]
print(len(train), len(test), test)
# === ml_minibatch_sgd_generator
def batches(X, y, size):
    for i in range(0, len(X), size):
        yield X[i:i + size], y[i:i + size]

X = [[float(i)] for i in range(10)]
y = [2.0 * i + 1 for i in range(10)]
w, b = 0.0, 0.0
for epoch in range(300):
    for xb, yb in batches(X, y, 4):
        n = len(xb)
        gw = sum((w * x[0] + b - t) * x[0] for x, t in zip(xb, yb)) * 2 / n
        gb = sum((w * x[0] + b - t) for x, t in zip(xb, yb)) * 2 / n
        w -= 0.01 * gw
        b -= 0.01 * gb
print(round(w, 3), round(b, 3))
# === ml_perceptron
X = [[0, 0], [0, 1], [1, 0], [1, 1]]
y = [0, 0, 0, 1]
w, b = [0, 0], 0
for _ in range(10):
    for xi, yi in zip(X, y):
        pred = 1 if w[0] * xi[0] + w[1] * xi[1] + b > 0 else 0
        err = yi - pred
        w = [w[0] + err * xi[0], w[1] + err * xi[1]]
        b += err
print(w, b, [1 if w[0] * a + w[1] * c + b > 0 else 0 for a, c in X])
# === ml_bigram_counts
names = ["emma", "olivia", "ava"]
counts = {}
for name in names:
    chars = ["."] + list(name) + ["."]
    for a, b in zip(chars, chars[1:]):
        counts[(a, b)] = counts.get((a, b), 0) + 1
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
print(top)
# === ml_moving_average_and_early_stopping
losses = [1.0, 0.8, 0.7, 0.65, 0.66, 0.67, 0.64, 0.69, 0.7]
best, best_epoch, patience = float("inf"), -1, 2
for epoch, loss in enumerate(losses):
    if loss < best:
        best, best_epoch = loss, epoch
    elif epoch - best_epoch > patience:
        print("stop at", epoch)
        break
window = 3
print([round(sum(losses[i:i + window]) / window, 4) for i in range(len(losses) - window + 1)])
# === ml_l2_regularised_loss
w = [0.5, -1.5, 2.0]
data_loss = 0.3
lam = 0.01
print(round(data_loss + lam * sum(v * v for v in w), 6))
# === ml_cosine_similarity_matrix
import math

vecs = {"cat": [1.0, 0.9], "dog": [0.9, 1.0], "car": [-1.0, 0.2]}

def cos(a, b):
    return sum(x * y for x, y in zip(a, b)) / (math.hypot(*a) * math.hypot(*b))

for a in vecs:
    print(a, [f"{cos(vecs[a], vecs[b]):.3f}" for b in vecs])
# === ml_feature_stats_per_column
rows = [[5.1, 3.5, 1.4], [4.9, 3.0, 1.4], [6.2, 3.4, 5.4], [5.9, 3.0, 5.1]]
cols = list(zip(*rows))
print([round(sum(c) / len(c), 3) for c in cols], [max(c) - min(c) for c in cols])
# === ml_a_dataset_sized_list
# A dataset-sized list: 60,000 labels and a 50,000-value weight vector (MNIST is 60,000 images).
labels = [i % 10 for i in range(60000)]
weights = [0.0] * 50000
counts = [labels.count(d) for d in range(10)]
print(len(labels), counts[:3], sum(weights), len(weights))
