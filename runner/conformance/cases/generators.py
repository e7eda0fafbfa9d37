# Generators and iterators, comprehensions, closures, decorators
# === generator_basic
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1

print(list(count_up(5)), sum(count_up(101)))
# === generator_minibatches
def batches(xs, size):
    for start in range(0, len(xs), size):
        yield xs[start:start + size]

for b in batches(list(range(10)), 4):
    print(b)
# === generator_next_and_stop
def two():
    yield "a"
    yield "b"

g = two()
print(next(g), next(g), next(g, "done"))
try:
    next(g)
except StopIteration:
    print("stopped")
# === generator_send
def running_mean():
    total, n, mean = 0.0, 0, None
    while True:
        x = yield mean
        total += x
        n += 1
        mean = total / n

g = running_mean()
next(g)
for x in [2, 4, 9]:
    print(g.send(x))
# === generator_yield_from
def inner():
    yield 1
    yield 2
    return "inner done"

def outer():
    result = yield from inner()
    yield result

print(list(outer()))
# === generator_infinite_islice
from itertools import islice

def naturals():
    n = 0
    while True:
        yield n
        n += 1

print(list(islice(naturals(), 3, 8)))
# === generator_expression_lazy
gen = (x * x for x in range(5))
print(next(gen), next(gen), list(gen), list(gen))
# === generator_return_value
def g():
    yield 1
    return 42

it = g()
next(it)
try:
    next(it)
except StopIteration as e:
    print("returned", e.value)
# === generator_pipeline
def read(lines):
    for line in lines:
        yield line.strip()

def nonempty(lines):
    return (l for l in lines if l)

def numbers(lines):
    return (float(l) for l in lines)

print(sum(numbers(nonempty(read([" 1.5", "", "2.5 ", "  "])))))
# === generator_fibonacci
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

out = []
for x in fib():
    if x > 100:
        break
    out.append(x)
print(out)
# === iterator_protocol_iter_next
it = iter([3, 1, 2])
print(next(it), next(it), next(it), next(it, None))
# === iter_callable_sentinel
values = [1, 2, 0, 5]
it = iter(values.pop, 0)
print(list(it), values)
# === enumerate_zip_reversed
names = ["a", "b", "c"]
scores = [0.5, 0.9, 0.1]
for i, (n, s) in enumerate(zip(names, scores), start=1):
    print(i, n, s)
print(list(reversed(names)), list(zip(*[[1, 2], [3, 4]])))
# === comprehension_list_filter
xs = [3, -1, 4, -1, 5, -9]
print([x for x in xs if x > 0], [x * x for x in xs[:3]])
# === comprehension_nested
matrix = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in matrix] for i in range(3)])
print([x for row in matrix for x in row if x % 2])
# === comprehension_dict_set
words = ["apple", "bob", "cat", "apple"]
print({w: len(w) for w in words})
print(sorted({len(w) for w in words}))
print({i: i * i for i in range(4) if i})
# === comprehension_scope
x = "outer"
ys = [x for x in range(3)]
print(x, ys)
# === comprehension_conditional_expression
print(["even" if n % 2 == 0 else "odd" for n in range(5)])
# === walrus_in_comprehension
data = [1, 5, 2, 8]
print([y for x in data if (y := x * 2) > 4])
# === closure_counter
def make_counter():
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count

    return inc

c = make_counter()
c(); c()
print(c(), make_counter()())
# === closure_late_binding
fs = [lambda: i for i in range(3)]
gs = [lambda i=i: i for i in range(3)]
print([f() for f in fs], [g() for g in gs])
# === closure_adder_factory
def adder(k):
    return lambda x: x + k

add5 = adder(5)
print(add5(1), list(map(adder(10), [1, 2])))
# === decorator_simple
def shout(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs).upper()
    return wrapper

@shout
def greet(name):
    return f"hello {name}"

print(greet("ada"))
# === decorator_with_args_and_wraps
import functools

def repeat(n):
    def deco(f):
        @functools.wraps(f)
        def wrapper(*a):
            return [f(*a) for _ in range(n)]
        return wrapper
    return deco

@repeat(3)
def one(x):
    """Returns x."""
    return x

print(one(7), one.__name__, one.__doc__)
# === decorator_counting_calls
def counted(f):
    def wrapper(*a):
        wrapper.calls += 1
        return f(*a)
    wrapper.calls = 0
    return wrapper

@counted
def sq(x):
    return x * x

[sq(i) for i in range(5)]
print(sq.calls)
# === global_statement
total = 0

def add(x):
    global total
    total += x

for i in range(4):
    add(i)
print(total)
# === args_kwargs_unpacking
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))

print(f(1, c=3))
print(f(1, 5, 6, 7, c=0, e=9))
print(f(*[1, 2, 3], **{"c": 8, "z": 1}))
# === keyword_only_and_positional_only
def f(a, /, b, *, c):
    return a + b + c

print(f(1, 2, c=3), f(1, b=2, c=3))
try:
    f(a=1, b=2, c=3)
except TypeError:
    print("positional only")
# === star_unpacking
first, *middle, last = [1, 2, 3, 4, 5]
print(first, middle, last)
a, (b, c) = 1, (2, 3)
print(a, b, c, [*range(3), *"ab"], {**{"x": 1}, "y": 2})
# === lambda_sort_key_map_filter
pairs = [(1, "b"), (3, "a"), (2, "c")]
print(sorted(pairs, key=lambda p: p[1]))
print(list(filter(lambda p: p[0] > 1, pairs)), list(map(lambda p: p[0] * 2, pairs)))
