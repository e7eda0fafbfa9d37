# The standard library: random, math, statistics, itertools, collections, functools, json, re, typing and more
# === random_seed_reproducible
import random

random.seed(42)
a = [random.random() for _ in range(5)]
random.seed(42)
b = [random.random() for _ in range(5)]
print(a == b, all(0 <= x < 1 for x in a), len(set(a)))
# === random_randint_choice_ranges
import random

random.seed(1)
ints = [random.randint(1, 6) for _ in range(200)]
print(min(ints) >= 1, max(ints) <= 6, len(set(ints)) == 6)
print(random.choice(["a", "b", "c"]) in "abc", 0 <= random.randrange(10) < 10)
# === random_shuffle_sample
import random

random.seed(7)
xs = list(range(10))
random.shuffle(xs)
print(sorted(xs) == list(range(10)), len(xs))
s = random.sample(range(100), 5)
print(len(s), len(set(s)), all(0 <= v < 100 for v in s))
# === random_uniform_gauss_stats
import random

random.seed(0)
u = [random.uniform(2, 4) for _ in range(2000)]
g = [random.gauss(0, 1) for _ in range(2000)]
print(all(2 <= x <= 4 for x in u), abs(sum(u) / len(u) - 3) < 0.1, abs(sum(g) / len(g)) < 0.1)
# === random_instance_and_choices
import random

rng = random.Random(3)
other = random.Random(3)
print(rng.random() == other.random())
picks = rng.choices(["x", "y"], weights=[1, 0], k=5)
print(picks)
# === math_functions
import math

print(math.sqrt(16), math.exp(0), math.log(math.e), math.log(8, 2), math.log10(1000))
print(math.floor(-2.5), math.ceil(2.1), math.trunc(-2.7), math.fabs(-3))
print(round(math.sin(math.pi / 2), 6), round(math.cos(0), 6), round(math.tanh(0.5), 6))
# === math_constants_and_checks
import math

print(math.pi, math.e, math.inf > 1e308, math.isnan(math.nan), math.isinf(-math.inf))
print(math.isclose(0.1 + 0.2, 0.3), math.gcd(12, 18), math.factorial(10), math.comb(5, 2), math.perm(5, 2))
# === math_fsum_prod_hypot
import math

print(math.fsum([0.1] * 10), sum([0.1] * 10), math.prod([1, 2, 3, 4]), math.hypot(3, 4))
print(math.dist([0, 0], [3, 4]), math.copysign(1, -0.0), math.pow(2, 10), math.isqrt(17))
# === statistics_basic
import statistics as st

data = [2, 4, 4, 4, 5, 5, 7, 9]
print(st.mean(data), st.median(data), st.mode(data), st.pstdev(data))
print(round(st.stdev(data), 6), round(st.variance(data), 6), st.pvariance(data))
# === statistics_median_variants
import statistics

print(statistics.median([1, 3, 5, 7]), statistics.median_low([1, 3, 5, 7]), statistics.median_high([1, 3, 5, 7]))
print(statistics.fmean([1, 2, 3, 4]), statistics.geometric_mean([1, 4]), statistics.harmonic_mean([1, 4]))
# === statistics_quantiles
import statistics

print(statistics.quantiles([1, 2, 3, 4, 5, 6, 7, 8], n=4))
# === itertools_product_permutations
import itertools

print(list(itertools.product([0, 1], repeat=2)))
print(list(itertools.product("ab", [1, 2])))
print(list(itertools.permutations([1, 2, 3], 2)))
print(list(itertools.combinations("abcd", 2)))
# === itertools_accumulate_chain
import itertools
import operator

print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.accumulate([1, 2, 3, 4], operator.mul)))
print(list(itertools.chain([1, 2], (3,), "ab")), list(itertools.chain.from_iterable([[1], [2, 3]])))
# === itertools_groupby
import itertools

data = sorted(["apple", "avocado", "banana", "blueberry", "cherry"], key=lambda w: w[0])
for letter, group in itertools.groupby(data, key=lambda w: w[0]):
    print(letter, list(group))
# === itertools_count_cycle_repeat_zip_longest
import itertools

print(list(itertools.islice(itertools.count(10, 5), 4)))
print(list(itertools.islice(itertools.cycle("ab"), 5)), list(itertools.repeat(0, 3)))
print(list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-")))
# === itertools_combinations_with_replacement_pairwise
import itertools

print(list(itertools.combinations_with_replacement([1, 2], 2)))
print(list(itertools.pairwise([1, 2, 4, 7])), list(itertools.starmap(pow, [(2, 3), (3, 2)])))
print(list(itertools.takewhile(lambda x: x < 3, [1, 2, 3, 1])), list(itertools.dropwhile(lambda x: x < 3, [1, 2, 3, 1])))
# === collections_counter
from collections import Counter

c = Counter("abracadabra")
print(c.most_common(2), c["a"], c["z"])
c.update("zz")
print(sorted(c.items()))
print(Counter([1, 1, 2]) + Counter([2, 3]))
# === collections_defaultdict
from collections import defaultdict

groups = defaultdict(list)
for word in ["ant", "bee", "asp", "bat", "cow"]:
    groups[word[0]].append(word)
print(dict(groups))
counts = defaultdict(int)
for ch in "hello":
    counts[ch] += 1
print(sorted(counts.items()))
# === collections_deque
from collections import deque

d = deque([1, 2, 3], maxlen=4)
d.append(4)
d.append(5)
d.appendleft(0)
print(d, d.popleft(), d.pop(), list(d))
d.rotate(1)
print(list(d))
# === collections_ordereddict_chainmap
from collections import OrderedDict, ChainMap

od = OrderedDict()
od["b"] = 1
od["a"] = 2
od.move_to_end("b")
print(list(od.keys()), od.popitem(last=False))
cm = ChainMap({"lr": 0.1}, {"lr": 0.5, "epochs": 3})
print(cm["lr"], cm["epochs"], len(cm))
# === functools_reduce_partial
from functools import reduce, partial

print(reduce(lambda a, b: a * b, [1, 2, 3, 4, 5]), reduce(lambda a, b: a + b, [], 0))
power = partial(pow, 2)
print(power(10), partial(int, base=2)("1010"))
# === functools_lru_cache
from functools import lru_cache

@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

print(fib(80), fib.cache_info().hits > 0)
# === functools_cache_and_total_ordering
from functools import cache, total_ordering

@cache
def square(x):
    return x * x

@total_ordering
class V:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __lt__(self, o):
        return self.v < o.v

print(square(12), V(1) <= V(2), V(3) >= V(2), V(1) > V(2))
# === functools_cmp_to_key
from functools import cmp_to_key

def by_len_then_alpha(a, b):
    if len(a) != len(b):
        return len(a) - len(b)
    return (a > b) - (a < b)

print(sorted(["ccc", "a", "bb", "aa", "b"], key=cmp_to_key(by_len_then_alpha)))
# === json_dumps_loads
import json

data = {"name": "net", "layers": [4, 8, 3], "lr": 0.01, "ok": True, "none": None}
text = json.dumps(data)
print(text)
print(json.loads(text) == data, json.loads("[1, 2.5, \"x\", false]"))
# === json_indent_sort_keys
import json

print(json.dumps({"b": 1, "a": [1, 2]}, indent=2, sort_keys=True))
print(json.dumps("é"), json.dumps("é", ensure_ascii=False), json.dumps([1, 2], separators=(",", ":")))
# === json_errors
import json

try:
    json.loads("{bad json}")
except json.JSONDecodeError as e:
    print("JSONDecodeError", e.lineno, e.colno)
except ValueError:
    print("ValueError")
# === re_search_findall
import re

text = "loss=0.52 acc=0.91 loss=0.48"
print(re.findall(r"loss=([\d.]+)", text))
m = re.search(r"acc=(\d+\.\d+)", text)
print(m.group(0), m.group(1), m.start(), m.span())
# === re_sub_split_groups
import re

print(re.sub(r"\s+", " ", "a  b \t c"), re.split(r"[,;]\s*", "x, y;z"))
m = re.match(r"(?P<key>\w+)=(?P<value>\d+)", "epochs=10")
print(m.group("key"), int(m["value"]), m.groupdict())
print(re.sub(r"(\w+)@(\w+)", r"\2 at \1", "me@host"))
# === re_compile_flags_finditer
import re

pat = re.compile(r"^(\w+):", re.MULTILINE)
print(pat.findall("a: 1\nbee: 2\n c: 3"))
print([m.group() for m in re.finditer(r"\d+", "1 22 333")], bool(re.fullmatch(r"[a-z]+", "abc")))
print(re.findall(r"hello", "Hello HELLO", re.IGNORECASE))
# === typing_annotations
from typing import List, Dict, Optional, Tuple, Union, Callable

def f(xs: List[float], scale: Optional[float] = None) -> Tuple[float, int]:
    s = sum(xs) * (scale or 1)
    return s, len(xs)

Fn = Callable[[int], int]
g: Fn = lambda x: x + 1
d: Dict[str, Union[int, str]] = {"a": 1}
print(f([1.0, 2.0]), f([1.0], 2.0), g(1), d)
print(f.__annotations__["return"])
# === typing_builtin_generics_and_any
from typing import Any

def first(xs: list[int]) -> int | None:
    return xs[0] if xs else None

def show(x: Any) -> str:
    return str(x)

print(first([3, 4]), first([]), show({1: 2}), list[int], int | None)
# === typing_typeddict_protocol_typevar
from typing import TypedDict, TypeVar, Generic

class Row(TypedDict):
    x: float
    y: int

T = TypeVar("T")

class Box(Generic[T]):
    def __init__(self, item: T):
        self.item = item

r: Row = {"x": 1.0, "y": 2}
print(r, Box[int](3).item, Box("s").item)
# === operator_module
import operator

print(operator.add(1, 2), operator.itemgetter(1)([5, 6]), operator.attrgetter("real")(3 + 4j))
print(sorted([(1, "b"), (0, "c")], key=operator.itemgetter(1)), operator.mul(3, 4))
# === heapq_bisect
import heapq
import bisect

h = [5, 1, 8, 3]
heapq.heapify(h)
print(heapq.heappop(h), heapq.nsmallest(2, [5, 1, 8, 3]), heapq.nlargest(2, [5, 1, 8, 3]))
xs = [1, 3, 5, 7]
print(bisect.bisect_left(xs, 5), bisect.bisect_right(xs, 5), bisect.bisect(xs, 4))
bisect.insort(xs, 4)
print(xs)
# === copy_deepcopy
import copy

a = [[1, 2], [3]]
b = copy.copy(a)
c = copy.deepcopy(a)
a[0].append(9)
print(b, c)
# === string_module_constants
import string

print(string.ascii_lowercase, string.digits, string.punctuation[:5])
print(string.Template("$x + $y").substitute(x=1, y=2))
# === fractions_decimal
from fractions import Fraction
from decimal import Decimal

print(Fraction(1, 3) + Fraction(1, 6), Fraction("0.75"), Fraction(3, 9).denominator)
print(Decimal("0.1") + Decimal("0.2"), Decimal("1.10") * 3)
# === datetime_date_arithmetic
from datetime import date, timedelta

d = date(2024, 2, 28)
print(d + timedelta(days=2), (date(2024, 12, 25) - d).days, d.isoformat(), d.weekday())
# === sys_module_basics
import sys

print(sys.version_info[0], isinstance(sys.maxsize, int), sys.getrecursionlimit() >= 1000)
# === time_module_monotonic
import time

t0 = time.perf_counter()
x = sum(range(1000))
t1 = time.perf_counter()
print(x, t1 >= t0, isinstance(time.time(), float))
# === base64_hashlib_free
import base64

print(base64.b64encode(b"labbook"), base64.b64decode("bGFiYm9vaw=="))
# === builtins_dir_and_input_free
names = dir([])
print("append" in names, "sort" in names, "__len__" in names)
class K:
    def method(self):
        pass
print("method" in dir(K()))
# === collections_abc_isinstance
from collections.abc import Iterable, Mapping, Sequence

print(isinstance([1], Iterable), isinstance({}, Mapping), isinstance("s", Sequence), isinstance(3, Iterable))
# === array_like_struct_pack_free
import struct

print(struct.pack("<i", 1), struct.unpack("<f", struct.pack("<f", 0.5)), struct.calcsize("<d"))
