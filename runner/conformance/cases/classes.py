# Classes and inheritance, dunder methods, properties, dataclasses
# === class_basic
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm2(self):
        return self.x * self.x + self.y * self.y

p = Point(3, 4)
print(p.x, p.y, p.norm2())
# === class_attribute_shared
class Counter:
    count = 0

    def __init__(self):
        Counter.count += 1

a, b, c = Counter(), Counter(), Counter()
print(Counter.count, a.count)
# === inheritance_override
class Animal:
    def speak(self):
        return "..."

    def describe(self):
        return f"{type(self).__name__} says {self.speak()}"

class Dog(Animal):
    def speak(self):
        return "woof"

print(Animal().describe())
print(Dog().describe())
# === inheritance_super_init
class Module:
    def __init__(self, name):
        self.name = name
        self.training = True

class Linear(Module):
    def __init__(self, n_in, n_out):
        super().__init__("linear")
        self.shape = (n_in, n_out)

layer = Linear(3, 2)
print(layer.name, layer.training, layer.shape)
# === inheritance_chain
class A:
    def who(self):
        return ["A"]

class B(A):
    def who(self):
        return ["B"] + super().who()

class C(B):
    def who(self):
        return ["C"] + super().who()

print(C().who())
print(isinstance(C(), A), issubclass(B, C))
# === multiple_inheritance_mro
class Base:
    def hello(self):
        return "base"

class Left(Base):
    def hello(self):
        return "left " + super().hello()

class Right(Base):
    def hello(self):
        return "right " + super().hello()

class Both(Left, Right):
    pass

print(Both().hello())
print([k.__name__ for k in Both.__mro__])
# === dunder_add_eq
class Vec:
    def __init__(self, *xs):
        self.xs = list(xs)

    def __add__(self, other):
        return Vec(*[a + b for a, b in zip(self.xs, other.xs)])

    def __mul__(self, k):
        return Vec(*[a * k for a in self.xs])

    def __rmul__(self, k):
        return self * k

    def __eq__(self, other):
        return self.xs == other.xs

    def __repr__(self):
        return f"Vec({', '.join(map(str, self.xs))})"

v = Vec(1, 2) + Vec(3, 4)
print(v, v * 2, 3 * v, v == Vec(4, 6))
# === dunder_len_getitem_iter
class Dataset:
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

d = Dataset([10, 20, 30])
print(len(d), d[1], d[-1], list(d), 20 in d)
# === dunder_str_repr
class Temp:
    def __init__(self, c):
        self.c = c

    def __str__(self):
        return f"{self.c} C"

    def __repr__(self):
        return f"Temp({self.c!r})"

t = Temp(21.5)
print(t)
print(repr(t), [t])
print(f"{t} / {t!r}")
# === dunder_lt_sorting
class Item:
    def __init__(self, name, price):
        self.name, self.price = name, price

    def __lt__(self, other):
        return self.price < other.price

items = [Item("b", 3), Item("a", 1), Item("c", 2)]
print([i.name for i in sorted(items)])
print(max(items).name, min(items).name)
# === dunder_call
class Scaler:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return x * self.k

double = Scaler(2)
print(double(21), list(map(double, [1, 2, 3])), callable(double))
# === dunder_contains_bool
class Bag:
    def __init__(self, items):
        self.items = set(items)

    def __contains__(self, x):
        return x in self.items

    def __bool__(self):
        return bool(self.items)

print(3 in Bag([1, 2, 3]), 5 in Bag([1]), bool(Bag([])), "yes" if Bag([0]) else "no")
# === dunder_hash_eq_in_set
class Key:
    def __init__(self, k):
        self.k = k

    def __eq__(self, other):
        return isinstance(other, Key) and self.k == other.k

    def __hash__(self):
        return hash(self.k)

s = {Key(1), Key(1), Key(2)}
print(len(s), Key(2) in s)
# === dunder_neg_abs_iadd
class Money:
    def __init__(self, cents):
        self.cents = cents

    def __neg__(self):
        return Money(-self.cents)

    def __abs__(self):
        return Money(abs(self.cents))

    def __iadd__(self, other):
        self.cents += other.cents
        return self

    def __repr__(self):
        return f"Money({self.cents})"

m = Money(5)
m += Money(7)
print(m, -m, abs(-m))
# === dunder_matmul
class M:
    def __init__(self, rows):
        self.rows = rows

    def __matmul__(self, other):
        cols = list(zip(*other.rows))
        return M([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])

print((M([[1, 2], [3, 4]]) @ M([[5, 6], [7, 8]])).rows)
# === property_getter_setter
class Celsius:
    def __init__(self, t):
        self._t = t

    @property
    def t(self):
        return self._t

    @t.setter
    def t(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._t = value

    @property
    def fahrenheit(self):
        return self._t * 9 / 5 + 32

c = Celsius(100)
print(c.t, c.fahrenheit)
c.t = 0
print(c.t, c.fahrenheit)
try:
    c.t = -300
except ValueError as e:
    print("error:", e)
# === property_read_only
class Circle:
    def __init__(self, r):
        self.r = r

    @property
    def area(self):
        return round(3.14159 * self.r ** 2, 3)

c = Circle(2)
print(c.area)
try:
    c.area = 1
except AttributeError:
    print("read-only")
# === staticmethod_classmethod
class Config:
    default_lr = 0.1

    def __init__(self, lr):
        self.lr = lr

    @classmethod
    def default(cls):
        return cls(cls.default_lr)

    @staticmethod
    def valid(lr):
        return 0 < lr < 1

print(Config.default().lr, Config.valid(0.5), Config.valid(2))
# === classmethod_inherited
class Shape:
    @classmethod
    def make(cls):
        return cls()

    def name(self):
        return type(self).__name__

class Square(Shape):
    pass

print(Square.make().name(), Shape.make().name())
# === dataclass_basic
from dataclasses import dataclass

@dataclass
class Sample:
    x: float
    y: float
    label: str = "none"

s = Sample(1.0, 2.5)
print(s)
print(s == Sample(1.0, 2.5), s.label)
# === dataclass_field_default_factory
from dataclasses import dataclass, field

@dataclass
class History:
    losses: list = field(default_factory=list)
    epochs: int = 0

h = History()
h.losses.append(0.5)
h.epochs += 1
print(h, History())
# === dataclass_order_frozen
from dataclasses import dataclass

@dataclass(order=True, frozen=True)
class Version:
    major: int
    minor: int

vs = [Version(1, 2), Version(0, 9), Version(1, 0)]
print(sorted(vs)[0], max(vs))
try:
    vs[0].major = 3
except Exception as e:
    print(type(e).__name__)
# === dataclass_asdict_replace
from dataclasses import dataclass, asdict, replace

@dataclass
class Params:
    lr: float
    epochs: int

p = Params(0.1, 10)
print(asdict(p))
print(replace(p, epochs=20))
# === dataclass_post_init
from dataclasses import dataclass, field

@dataclass
class Rect:
    w: float
    h: float
    area: float = field(init=False)

    def __post_init__(self):
        self.area = self.w * self.h

print(Rect(2, 3))
# === abstract_base_class
from abc import ABC, abstractmethod

class Layer(ABC):
    @abstractmethod
    def forward(self, x):
        ...

class Identity(Layer):
    def forward(self, x):
        return x

try:
    Layer()
except TypeError:
    print("cannot instantiate")
print(Identity().forward(7))
# === class_slots_and_getattr
class Lazy:
    def __getattr__(self, name):
        return f"<{name}>"

l = Lazy()
l.real = 1
print(l.real, l.missing, getattr(l, "other"), hasattr(l, "x"))
# === class_dict_vars
class P:
    def __init__(self):
        self.a = 1
        self.b = "two"

print(vars(P()), sorted(P().__dict__))
# === setattr_getattr_builtins
class Obj:
    pass

o = Obj()
for name, value in [("w", 0.5), ("b", -1)]:
    setattr(o, name, value)
print(getattr(o, "w"), o.b, getattr(o, "c", "default"))
delattr(o, "w")
print(hasattr(o, "w"))
# === custom_iterator_class
class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1

print(list(Countdown(4)))
# === enum_basic
from enum import Enum

class Split(Enum):
    TRAIN = "train"
    TEST = "test"

print(Split.TRAIN, Split("test"), Split.TRAIN.value, [s.name for s in Split])
# === namedtuple_class
from collections import namedtuple

Pair = namedtuple("Pair", ["x", "y"])
p = Pair(1, y=2)
print(p, p.x + p.y, p._replace(x=5), tuple(p))
# === typing_namedtuple
from typing import NamedTuple

class Batch(NamedTuple):
    inputs: list
    targets: list
    size: int = 0

b = Batch([1], [0])
print(b, b.size, b._asdict())
# === class_method_chaining
class Pipeline:
    def __init__(self):
        self.steps = []

    def add(self, step):
        self.steps.append(step)
        return self

    def run(self, x):
        for step in self.steps:
            x = step(x)
        return x

print(Pipeline().add(lambda x: x + 1).add(lambda x: x * 10).run(4))
# === isinstance_tuple_and_type
class A: pass
class B(A): pass

for v in [1, 2.0, "s", [1], B()]:
    print(type(v).__name__, isinstance(v, (int, float)), isinstance(v, A))
# === class_counter_instances_super_kwargs
class Base:
    def __init__(self, **kwargs):
        self.options = dict(kwargs)

class Child(Base):
    def __init__(self, name, **kwargs):
        super().__init__(**kwargs)
        self.name = name

c = Child("net", lr=0.1, momentum=0.9)
print(c.name, sorted(c.options.items()))
# === operator_reflected_and_radd_sum
class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return Num(self.v + (other.v if isinstance(other, Num) else other))

    __radd__ = __add__

print(sum([Num(1), Num(2), Num(3)]).v, (5 + Num(1)).v)
