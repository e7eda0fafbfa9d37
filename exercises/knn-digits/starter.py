import math
from tinyml import load_dataset


def distance(a, b):
    """Euclidean distance between two lists of numbers."""
    return 0.0  # replace: the square root of the sum of squared differences


def knn_predict(train_X, train_y, x, k=3):
    """Majority label among the k training examples nearest to x."""
    pairs = sorted(zip([distance(x, t) for t in train_X], train_y))
    nearest = pairs[:k]
    # Your turn: count the votes of the k nearest labels and return the most
    # frequent one; on a tie, the label of the nearest tied neighbour wins.
    # For now this returns the label of the single nearest neighbour.
    return nearest[0][1]


# The book's digits dataset: a dict from column name to values, 64 pixel
# columns and the label. A row of X is one image's 64 pixels.
digits = load_dataset("digits", split="train")
pixels = [name for name in digits if name != "label"]
X = [list(row) for row in zip(*[digits[p] for p in pixels])]
y = digits["label"]
# Every fifth image is a test image, as in the lesson.
train_X = [row for i, row in enumerate(X) if i % 5 != 4]
train_y = [label for i, label in enumerate(y) if i % 5 != 4]
test_X = [row for i, row in enumerate(X) if i % 5 == 4]
test_y = [label for i, label in enumerate(y) if i % 5 == 4]

# The first 10 test images keep the run short; the lesson classifies all 359.
predictions = [knn_predict(train_X, train_y, x, k=3) for x in test_X[:10]]
print("predicted:", predictions)
print("correct:", sum(1 for p, t in zip(predictions, test_y) if p == t), "of", len(predictions))
