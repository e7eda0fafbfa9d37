import numpy as np
from tinyml import load_dataset


def distance(a, b):
    """Euclidean distance between two images (arrays or lists of pixels)."""
    return 0.0  # replace: the square root of the sum of squared differences


def knn_predict(train_X, train_y, x, k=3):
    """Majority label among the k training examples nearest to x."""
    train_X, train_y = np.asarray(train_X), np.asarray(train_y)
    # Every distance at once: x is broadcast against each row of train_X.
    distances = np.sqrt(np.sum((train_X - np.asarray(x)) ** 2, axis=1))
    nearest = train_y[np.argsort(distances, kind="stable")[:k]].tolist()
    # Your turn: count the votes of the k nearest labels and return the most
    # frequent one; on a tie, the label of the nearest tied neighbour wins.
    # For now this returns the label of the single nearest neighbour.
    return nearest[0]


# The book's digits dataset: a dict from column name to values, 64 pixel
# columns and the label. A row of X is one image's 64 pixels.
digits = load_dataset("digits", split="train")
pixels = [name for name in digits if name != "label"]
X = np.array([list(row) for row in zip(*[digits[p] for p in pixels])])
y = np.array(digits["label"])
# Every fifth image is a test image, as in the lesson.
test = np.arange(len(X)) % 5 == 4
train_X, train_y = X[~test], y[~test]
test_X, test_y = X[test], y[test]

# The first 10 test images keep the run short; the lesson classifies all 359.
predictions = [knn_predict(train_X, train_y, x, k=3) for x in test_X[:10]]
print("predicted:", predictions)
print("correct:", int(np.sum(np.array(predictions) == test_y[:10])), "of", len(predictions))
