"""A tiny numeric toolkit for the exercises, built into labbook's Python runtime.

`tinyml` is written in Rust and runs beside the interpreter, so it is fast
where plain Python loops would be slow. It works on plain Python lists: a vector
is a list of floats, a matrix is a list of rows (each row a list of floats), and
every function returns new lists rather than changing its arguments.

Import it the usual ways:

    import tinyml
    import tinyml as tm
    from tinyml import softmax, dot

The random functions share one generator, seeded from the exercise's `seed`
(0 unless the exercise says otherwise), so a run is repeatable: the same code
prints the same numbers in the browser and in `labbook test`.
"""

from typing import Any, Sequence, TypeVar, Union

T = TypeVar("T")

Vector = list[float]
"""A vector: a list of floats (ints are accepted wherever a float is)."""

Matrix = list[list[float]]
"""A matrix: a list of rows, every row a vector of the same length."""

Array = Union[float, Vector, Matrix]
"""A number, a vector or a matrix: what the element-wise functions accept."""

# ---------------------------------------------------------------------------
# Linear algebra
# ---------------------------------------------------------------------------

def dot(a: Vector, b: Vector) -> float:
    """The dot product of two vectors of the same length.

    Args:
        a: The first vector.
        b: The second vector, as long as `a`.

    Returns:
        The sum of `a[i] * b[i]` over every index `i`.

    Raises:
        ValueError: If the vectors have different lengths.
        TypeError: If an element is not a number.

    Examples:
        >>> dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
        32.0
    """

def matmul(a: Matrix, b: Matrix) -> Matrix:
    """The matrix product `a @ b`.

    Args:
        a: A matrix with `n` rows and `k` columns.
        b: A matrix with `k` rows and `m` columns.

    Returns:
        The `n` by `m` matrix whose entry `[i][j]` is `dot(a[i], column j of b)`.

    Raises:
        ValueError: If the number of columns of `a` differs from the number of rows
            of `b`, or if a matrix has rows of different lengths.

    Examples:
        >>> matmul([[1.0, 2.0], [3.0, 4.0]], [[5.0], [6.0]])
        [[17.0], [39.0]]
    """

def matvec(a: Matrix, x: Vector) -> Vector:
    """The product of a matrix and a vector, `a @ x`.

    Args:
        a: A matrix with `n` rows and `k` columns.
        x: A vector of length `k`.

    Returns:
        The vector of length `n` whose entry `i` is `dot(a[i], x)`.

    Raises:
        ValueError: If the rows of `a` are not as long as `x`.

    Examples:
        >>> matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
        [3.0, 7.0]
    """

def transpose(a: Matrix) -> Matrix:
    """The transpose of a matrix: rows become columns.

    Args:
        a: A matrix with `n` rows and `m` columns.

    Returns:
        The `m` by `n` matrix whose entry `[j][i]` is `a[i][j]`.

    Raises:
        ValueError: If the rows of `a` have different lengths.

    Examples:
        >>> transpose([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    """

# ---------------------------------------------------------------------------
# Element-wise arithmetic
# ---------------------------------------------------------------------------

def add(a: Array, b: Array) -> Array:
    """Element-wise sum `a + b`.

    Both arguments have the same shape, or one of them is a number, which is
    added to every element of the other.

    Args:
        a: A number, vector or matrix.
        b: A number, or an array of the same shape as `a`.

    Returns:
        A new array of the shape of the larger argument.

    Raises:
        ValueError: If the shapes differ.

    Examples:
        >>> add([1.0, 2.0], [10.0, 20.0])
        [11.0, 22.0]
        >>> add([[1.0, 2.0]], 1.0)
        [[2.0, 3.0]]
    """

def sub(a: Array, b: Array) -> Array:
    """Element-wise difference `a - b`, with the same shape rules as [`add`].

    Args:
        a: A number, vector or matrix.
        b: A number, or an array of the same shape as `a`.

    Returns:
        A new array of the shape of the larger argument.

    Raises:
        ValueError: If the shapes differ.

    Examples:
        >>> sub([3.0, 5.0], [1.0, 1.0])
        [2.0, 4.0]
    """

def mul(a: Array, b: Array) -> Array:
    """Element-wise (Hadamard) product `a * b`, with the same shape rules as [`add`].

    Args:
        a: A number, vector or matrix.
        b: A number, or an array of the same shape as `a`.

    Returns:
        A new array of the shape of the larger argument.

    Raises:
        ValueError: If the shapes differ.

    Examples:
        >>> mul([1.0, 2.0, 3.0], [2.0, 2.0, 0.5])
        [2.0, 4.0, 1.5]
    """

def scale(a: Array, k: float) -> Array:
    """Multiply every element of `a` by the number `k`.

    Args:
        a: A number, vector or matrix.
        k: The factor.

    Returns:
        A new array of the shape of `a`.

    Examples:
        >>> scale([1.0, -2.0], 0.5)
        [0.5, -1.0]
    """

def exp(a: Array) -> Array:
    """Element-wise exponential `e ** x`.

    Args:
        a: A number, vector or matrix.

    Returns:
        A new array of the shape of `a` (a float for a number).

    Examples:
        >>> exp([0.0, 1.0])
        [1.0, 2.718281828459045]
    """

def log(a: Array) -> Array:
    """Element-wise natural logarithm.

    Args:
        a: A number, vector or matrix of positive numbers.

    Returns:
        A new array of the shape of `a` (a float for a number).

    Raises:
        ValueError: If an element is zero or negative.

    Examples:
        >>> log([1.0, 2.718281828459045])
        [0.0, 1.0]
    """

# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------

def sum(a: Array) -> float:
    """The sum of every element of a vector or matrix.

    Args:
        a: A vector or matrix (an empty one sums to 0.0).

    Returns:
        The total, as a float.

    Examples:
        >>> sum([[1.0, 2.0], [3.0, 4.0]])
        10.0
    """

def mean(a: Array) -> float:
    """The arithmetic mean of every element of a vector or matrix.

    Args:
        a: A non-empty vector or matrix.

    Returns:
        `sum(a)` divided by the number of elements.

    Raises:
        ValueError: If `a` is empty.

    Examples:
        >>> mean([1.0, 2.0, 6.0])
        3.0
    """

def max(a: Vector) -> float:
    """The largest element of a vector.

    Args:
        a: A non-empty vector.

    Returns:
        The largest element, as a float.

    Raises:
        ValueError: If `a` is empty.

    Examples:
        >>> max([3.0, 7.0, 5.0])
        7.0
    """

def min(a: Vector) -> float:
    """The smallest element of a vector.

    Args:
        a: A non-empty vector.

    Returns:
        The smallest element, as a float.

    Raises:
        ValueError: If `a` is empty.

    Examples:
        >>> min([3.0, 7.0, 5.0])
        3.0
    """

def argmax(a: Vector) -> int:
    """The index of the largest element of a vector (the first one on a tie).

    Args:
        a: A non-empty vector.

    Returns:
        The index `i` of the largest `a[i]`.

    Raises:
        ValueError: If `a` is empty.

    Examples:
        >>> argmax([0.1, 0.7, 0.2])
        1
    """

def argmin(a: Vector) -> int:
    """The index of the smallest element of a vector (the first one on a tie).

    Args:
        a: A non-empty vector.

    Returns:
        The index `i` of the smallest `a[i]`.

    Raises:
        ValueError: If `a` is empty.

    Examples:
        >>> argmin([0.1, 0.7, 0.05])
        2
    """

def softmax(a: Union[Vector, Matrix]) -> Union[Vector, Matrix]:
    """Turn scores into probabilities: `exp(a[i]) / sum(exp(a))`.

    The maximum is subtracted before exponentiating, so large scores do not
    overflow. A matrix is treated row by row.

    Args:
        a: A non-empty vector of scores (logits), or a matrix of them.

    Returns:
        Non-negative numbers of the shape of `a`; each vector (each row) sums to 1.

    Raises:
        ValueError: If `a` is empty.

    Examples:
        >>> softmax([1.0, 2.0, 3.0])
        [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
    """

# ---------------------------------------------------------------------------
# Construction and shape
# ---------------------------------------------------------------------------

def zeros(rows: int, cols: Union[int, None] = None) -> Union[Vector, Matrix]:
    """A vector or matrix of zeros.

    Args:
        rows: The length of the vector, or the number of rows of the matrix.
        cols: If given, the number of columns: the result is a matrix.

    Returns:
        `[0.0] * rows`, or a `rows` by `cols` matrix of zeros whose rows are
        separate lists.

    Raises:
        ValueError: If a size is negative.

    Examples:
        >>> zeros(3)
        [0.0, 0.0, 0.0]
        >>> zeros(2, 2)
        [[0.0, 0.0], [0.0, 0.0]]
    """

def ones(rows: int, cols: Union[int, None] = None) -> Union[Vector, Matrix]:
    """A vector or matrix of ones, like [`zeros`].

    Args:
        rows: The length of the vector, or the number of rows of the matrix.
        cols: If given, the number of columns: the result is a matrix.

    Returns:
        A vector or matrix filled with 1.0.

    Raises:
        ValueError: If a size is negative.

    Examples:
        >>> ones(2)
        [1.0, 1.0]
    """

def shape(a: Any) -> tuple[int, ...]:
    """The shape of a number, vector, matrix or deeper nested list.

    Args:
        a: A number or a (nested) list.

    Returns:
        `()` for a number, `(n,)` for a vector, `(rows, cols)` for a matrix, and
        so on: the length at each level of nesting, following the first element.

    Raises:
        ValueError: If the lists at one level have different lengths.

    Examples:
        >>> shape([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        (2, 3)
    """

def one_hot(labels: Sequence[int], classes: int) -> Matrix:
    """Encode integer labels as rows of zeros with a single 1.0.

    Args:
        labels: Class indices, each in `range(classes)`.
        classes: The number of classes (the length of each row).

    Returns:
        A `len(labels)` by `classes` matrix; row `i` has its 1.0 at `labels[i]`.

    Raises:
        ValueError: If a label is outside `range(classes)`.

    Examples:
        >>> one_hot([0, 2], 3)
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """

# ---------------------------------------------------------------------------
# Random numbers
# ---------------------------------------------------------------------------

def seed(n: int) -> None:
    """Restart the generator from seed `n`.

    Every run starts as if `seed(s)` had been called with the exercise's seed,
    so most code never needs this.

    Args:
        n: Any integer.

    Examples:
        >>> seed(1); a = random(); seed(1); a == random()
        True
    """

def random() -> float:
    """A float drawn uniformly from `[0.0, 1.0)`.

    Returns:
        The next number from the seeded generator.

    Examples:
        >>> 0.0 <= random() < 1.0
        True
    """

def uniform(a: float, b: float) -> float:
    """A float drawn uniformly from `[a, b)`.

    Args:
        a: The lower bound.
        b: The upper bound.

    Returns:
        `a + (b - a) * random()`.

    Examples:
        >>> 2.0 <= uniform(2.0, 3.0) < 3.0
        True
    """

def normal(mu: float = 0.0, sigma: float = 1.0) -> float:
    """A float drawn from the normal (Gaussian) distribution.

    Args:
        mu: The mean.
        sigma: The standard deviation, not negative.

    Returns:
        A sample of `N(mu, sigma ** 2)`.

    Raises:
        ValueError: If `sigma` is negative.

    Examples:
        >>> x = normal(0.0, 1.0)
    """

def randint(a: int, b: int) -> int:
    """An integer drawn uniformly from `a` to `b`, both included (like Python's `random.randint`).

    Args:
        a: The smallest possible value.
        b: The largest possible value, at least `a`.

    Returns:
        An integer `n` with `a <= n <= b`.

    Raises:
        ValueError: If `b < a`.

    Examples:
        >>> randint(1, 6) in [1, 2, 3, 4, 5, 6]
        True
    """

def choice(seq: Sequence[T], weights: Union[Sequence[float], None] = None) -> T:
    """Pick one element of `seq`, uniformly or in proportion to `weights`.

    Args:
        seq: A non-empty list, tuple or string.
        weights: Optional non-negative weights, one per element, not all zero.
            They need not sum to 1: counts work as well as probabilities.

    Returns:
        One element of `seq`.

    Raises:
        ValueError: If `seq` is empty, or `weights` has the wrong length, a negative
            entry or a zero total.

    Examples:
        >>> choice(["a", "b"], weights=[0.0, 1.0])
        'b'
    """

def shuffle(seq: Sequence[T]) -> list[T]:
    """A shuffled copy of `seq`; the argument itself is left as it was.

    Args:
        seq: A list, tuple or string.

    Returns:
        A new list with the same elements in a random order.

    Examples:
        >>> sorted(shuffle([3, 1, 2]))
        [1, 2, 3]
    """

# ---------------------------------------------------------------------------
# Datasets and weights
# ---------------------------------------------------------------------------

def load_iris() -> tuple[Matrix, list[int]]:
    """Fisher's iris flowers: 150 samples, 4 measurements each, 3 species.

    The data is bundled with labbook (from scikit-learn, BSD-3-Clause), so it
    loads offline. The feature names are given by [`iris_feature_names`] and
    the species by [`iris_target_names`].

    Returns:
        `(X, y)`: `X` is a 150 by 4 matrix of measurements in centimetres
        (sepal length, sepal width, petal length, petal width), `y` the list of
        150 species labels, 0, 1 or 2.

    Examples:
        >>> X, y = load_iris()
        >>> shape(X), y[0], X[0]
        ((150, 4), 0, [5.1, 3.5, 1.4, 0.2])
    """

def iris_feature_names() -> list[str]:
    """The names of the iris measurements, in column order.

    Returns:
        `["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]`.
    """

def iris_target_names() -> list[str]:
    """The iris species, indexed by label.

    Returns:
        `["setosa", "versicolor", "virginica"]`.
    """

def load_digits() -> tuple[Matrix, list[int]]:
    """Handwritten digits: 1,797 images of 8 by 8 pixels, labels 0 to 9.

    The data is bundled with labbook (from scikit-learn, BSD-3-Clause).

    Returns:
        `(X, y)`: `X` is a 1797 by 64 matrix, each row one image read row by row
        (pixel `(r, c)` is `X[i][8 * r + c]`), with grey levels from 0.0 to 16.0;
        `y` is the list of 1,797 digits.

    Examples:
        >>> X, y = load_digits()
        >>> shape(X), y[:5]
        ((1797, 64), [0, 1, 2, 3, 4])
    """

def load_dataset(path: str, name: str | None = None, split: str | None = None) -> dict[str, Any]:
    """Read a split of one of the book's datasets (`content/datasets/<path>/`).

    As Hugging Face's `datasets.load_dataset`, with the data already on the
    page: the build sends the splits the program names (`load_dataset("iris",
    split="train")`, or every split of the dataset when the call gives none) with
    the program, in the browser and in `labbook test` alike, and the program
    reads nothing else.

    Args:
        path: The dataset's id, its folder name (`"iris"`).
        name: The configuration (`config_name` in the card); the first that has
            the split when not given.
        split: The split (`"train"`, `"test"`...).

    Returns:
        With `split`: a dict from column name to the column's values in row
        order, in the card's column order (a class label is its number, a
        missing value `None`). Without: a dict from split name to such a dict.

    Raises:
        FileNotFoundError: If the build did not send that split (the name is
            not written out in the call, or the book has no such dataset).
        ValueError: If `name` is not the configuration the split was sent from.

    Examples:
        >>> iris = load_dataset("iris", split="train")
        >>> list(iris)[:2], len(iris["species"]), iris["species"][0]
        (['sepal_length', 'sepal_width'], 150, 0)
    """

def load_safetensors(path: str) -> dict[str, Any]:
    """Read the tensors of a safetensors file sent with the exercise.

    Args:
        path: The name of a file of the exercise (for example `"model.safetensors"`).

    Returns:
        A dict from tensor name to its values as nested lists of the tensor's
        shape (floats for F16, BF16, F32 and F64; ints for the integer types;
        bools for BOOL). A scalar tensor becomes a plain number.

    Raises:
        FileNotFoundError: If no file of the exercise has that name.
        ValueError: If the file is not a valid safetensors file or uses an
            unsupported dtype.

    Examples:
        >>> weights = load_safetensors("model.safetensors")
        >>> shape(weights["weight"])
        (3, 4)
    """
