# Recursion, sorting with keys, match, lists, dicts and sets
# === recursion_factorial_fib
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

print(fact(20), [fib(i) for i in range(12)])
# === recursion_deep_900
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)

print(depth(900))
# === recursion_flatten_nested
def flatten(xs):
    out = []
    for x in xs:
        if isinstance(x, list):
            out.extend(flatten(x))
        else:
            out.append(x)
    return out

print(flatten([1, [2, [3, [4]], 5], [[6]]]))
# === recursion_permutations_backtracking
def perms(xs):
    if len(xs) <= 1:
        return [xs]
    out = []
    for i, x in enumerate(xs):
        for p in perms(xs[:i] + xs[i + 1:]):
            out.append([x] + p)
    return out

print(perms([1, 2, 3]))
# === recursion_error_caught
def forever(n):
    return forever(n + 1)

try:
    forever(0)
except RecursionError:
    print("RecursionError")
# === sort_key_reverse_stable
people = [("ana", 31), ("bo", 25), ("cy", 31), ("di", 19)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (-p[1], p[0])))
# === sort_in_place_and_strings
words = ["banana", "Apple", "cherry", "apple"]
words.sort()
print(words)
words.sort(key=str.lower)
print(words)
print(sorted("hello"), sorted([3, 1, 2], reverse=True))
# === sort_dict_by_value
scores = {"a": 0.7, "b": 0.9, "c": 0.1}
print(sorted(scores, key=scores.get), sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:2])
print(max(scores, key=scores.get))
# === binary_search
def bsearch(xs, target):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1

xs = list(range(0, 100, 3))
print(bsearch(xs, 42), bsearch(xs, 43))
# === merge_sort
def merge_sort(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    a, b = merge_sort(xs[:mid]), merge_sort(xs[mid:])
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    return out + a[i:] + b[j:]

print(merge_sort([5, 2, 9, 1, 5, 6, 0]))
# === match_literals_and_wildcard
def describe(code):
    match code:
        case 200:
            return "ok"
        case 404 | 410:
            return "gone"
        case _:
            return "other"

print([describe(c) for c in [200, 404, 410, 500]])
# === match_sequences_and_capture
def shape(x):
    match x:
        case []:
            return "empty"
        case [a]:
            return f"one {a}"
        case [a, b]:
            return f"pair {a},{b}"
        case [first, *rest]:
            return f"{first} and {len(rest)} more"

print([shape(v) for v in [[], [1], [1, 2], [1, 2, 3, 4]]])
# === match_mapping_and_guard
def route(cmd):
    match cmd:
        case {"op": "train", "epochs": int(n)} if n > 0:
            return f"train {n}"
        case {"op": "eval"}:
            return "eval"
        case {"op": op}:
            return f"unknown {op}"

print(route({"op": "train", "epochs": 3}), route({"op": "train", "epochs": 0}), route({"op": "eval", "x": 1}))
# === match_class_patterns
from dataclasses import dataclass

@dataclass
class Point:
    x: int
    y: int

def where(p):
    match p:
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=y):
            return f"on y axis at {y}"
        case Point(x, y) if x == y:
            return "diagonal"
        case _:
            return "elsewhere"

print([where(p) for p in [Point(0, 0), Point(0, 5), Point(2, 2), Point(1, 3)]])
# === dict_operations
d = {"a": 1}
d["b"] = 2
d.update({"c": 3}, d=4)
print(d, d.get("z", 0), d.pop("a"), d.setdefault("e", 5), list(d.keys()), len(d))
print({**d, "b": 20} | {"f": 6})
# === list_operations
xs = [3, 1, 2]
xs.append(4)
xs.extend([5, 6])
xs.insert(0, 0)
xs.remove(3)
print(xs, xs.pop(), xs.index(2), xs.count(1), xs[::-1], xs * 2 if len(xs) < 3 else xs[:2] * 2)
del xs[0]
print(xs)
# === set_operations
a, b = {1, 2, 3}, {2, 3, 4}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b), a <= {1, 2, 3, 9}, {1} < a)
# === tuple_and_list_slicing_assignment
xs = list(range(10))
xs[2:5] = ["a", "b"]
print(xs, xs[-3:], xs[::3], (1, 2, 3)[1:])
xs[::2] = [0] * len(xs[::2])
print(xs)
# === string_counting_words
text = "the cat and the hat and the bat"
counts = {}
for w in text.split():
    counts[w] = counts.get(w, 0) + 1
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
# === matrix_transpose_and_identity
n = 3
eye = [[1 if i == j else 0 for j in range(n)] for i in range(n)]
m = [[1, 2, 3], [4, 5, 6]]
print(eye, [list(r) for r in zip(*m)])
# === gcd_primes_sieve
def sieve(n):
    is_p = [True] * (n + 1)
    is_p[0] = is_p[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
    return [i for i, p in enumerate(is_p) if p]

print(sieve(50))
