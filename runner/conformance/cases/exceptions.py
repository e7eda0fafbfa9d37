# Exceptions, custom exception classes, context managers
# === try_except_else_finally
def divide(a, b):
    try:
        r = a / b
    except ZeroDivisionError:
        print("zero")
        return None
    else:
        print("ok")
        return r
    finally:
        print("finally")

print(divide(1, 2))
print(divide(1, 0))
# === custom_exception_class
class ShapeError(Exception):
    pass

def check(a, b):
    if len(a) != len(b):
        raise ShapeError(f"lengths {len(a)} and {len(b)} differ")
    return True

try:
    check([1, 2], [1])
except ShapeError as e:
    print(type(e).__name__, e)
# === custom_exception_with_attributes
class TrainingError(Exception):
    def __init__(self, epoch, loss):
        super().__init__(f"diverged at epoch {epoch}")
        self.epoch = epoch
        self.loss = loss

try:
    raise TrainingError(3, float("inf"))
except TrainingError as e:
    print(e, e.epoch, e.loss, e.args)
# === exception_hierarchy
class AppError(Exception): pass
class DataError(AppError): pass

for exc in [DataError("bad row"), AppError("generic"), KeyError("k")]:
    try:
        raise exc
    except DataError as e:
        print("data:", e)
    except AppError as e:
        print("app:", e)
    except Exception as e:
        print("other:", repr(e))
# === exception_multiple_types
for value in ["3", "x", None]:
    try:
        print(int(value) * 2)
    except (ValueError, TypeError) as e:
        print(type(e).__name__)
# === raise_from_cause
class ConfigError(Exception):
    pass

try:
    try:
        {}["lr"]
    except KeyError as e:
        raise ConfigError("missing lr") from e
except ConfigError as e:
    print(e, repr(e.__cause__))
# === reraise_bare
def f():
    try:
        1 / 0
    except ZeroDivisionError:
        print("logging")
        raise

try:
    f()
except ZeroDivisionError as e:
    print("caught again:", e)
# === exception_messages_builtin
cases = [lambda: [1][5], lambda: {}["k"], lambda: int("abc"), lambda: 1 / 0, lambda: None.x]
for c in cases:
    try:
        c()
    except Exception as e:
        print(type(e).__name__)
# === assert_with_message
def mean(xs):
    assert len(xs) > 0, "mean of an empty list"
    return sum(xs) / len(xs)

try:
    mean([])
except AssertionError as e:
    print("AssertionError:", e)
print(mean([1, 2]))
# === finally_runs_on_return
log = []

def f():
    try:
        return "value"
    finally:
        log.append("cleanup")

print(f(), log)
# === context_manager_class
class Timer:
    def __enter__(self):
        print("enter")
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", exc_type.__name__ if exc_type else None)
        return exc_type is ValueError

with Timer() as t:
    print("inside", type(t).__name__)
with Timer():
    raise ValueError("swallowed")
print("after")
# === contextlib_contextmanager
from contextlib import contextmanager

@contextmanager
def tag(name):
    print(f"<{name}>")
    yield name.upper()
    print(f"</{name}>")

with tag("b") as t:
    print(t)
# === contextlib_suppress
from contextlib import suppress

with suppress(KeyError):
    {}["x"]
    print("not reached")
print("suppressed")
# === exception_str_repr_args
e = ValueError("bad", 3)
print(str(e), repr(e), e.args)
print(str(KeyError("k")), repr(RuntimeError()))
# === stopiteration_in_for
class Three:
    def __init__(self):
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.i += 1
        if self.i > 3:
            raise StopIteration
        return self.i

print([x for x in Three()])
# === exception_in_loop_continue
total = 0
for s in ["1", "2", "x", "4"]:
    try:
        total += int(s)
    except ValueError:
        continue
print(total)
# === isinstance_exception_and_catch_all
errors = []
for f in [lambda: 1 / 0, lambda: [].pop(), lambda: "a" + 1]:
    try:
        f()
    except Exception as e:
        errors.append((type(e).__name__, isinstance(e, ArithmeticError), isinstance(e, LookupError)))
print(errors)
# === exception_notes_and_group_free
class Err(Exception):
    def __str__(self):
        return "custom str"

try:
    raise Err()
except Err as e:
    print(f"{e}", repr(str(e)))
# === nested_try
def parse(s):
    try:
        return int(s)
    except ValueError:
        try:
            return float(s)
        except ValueError:
            return None

print([parse(s) for s in ["3", "2.5", "x"]])
# === raise_in_generator_and_close
def gen():
    try:
        yield 1
        yield 2
    finally:
        print("closed")

g = gen()
print(next(g))
g.close()
print("done")
