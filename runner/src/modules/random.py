# `random` for the Monty runtime, which has none: CPython's functions on the runner's seeded
# generator (xoshiro256**, runner/src/tinyml/rng.rs) through `_rnd_core`, so a run is
# repeatable from the exercise's seed. The stream is not CPython's Mersenne Twister: the same
# seed gives other numbers than on your computer. Monty has no inheritance or generators, so
# this is plain functions and one class.
import math as _rnd_math


def _rnd_below(gen, n):
    return _rnd_core("below", gen, n)


def _rnd_check_int(x, what):
    if type(x) is not int and type(x) is not bool:
        raise TypeError("'" + type(x).__name__ + "' object cannot be interpreted as an integer")
    return int(x)


class _rnd_Random:
    """random.Random(seed): a generator of its own, with the module's methods."""

    def __init__(self, x=None):
        self._gen = _rnd_core("new", x)

    def seed(self, a=None):
        _rnd_core("seed", self._gen, a)

    def random(self):
        return _rnd_core("random", self._gen)

    def uniform(self, a, b):
        return a + (b - a) * self.random()

    def randrange(self, start, stop=None, step=1):
        start = _rnd_check_int(start, "start")
        if stop is None:
            if start <= 0:
                raise ValueError("empty range for randrange()")
            return _rnd_below(self._gen, start)
        stop = _rnd_check_int(stop, "stop")
        step = _rnd_check_int(step, "step")
        if step == 0:
            raise ValueError("zero step for randrange()")
        n = (stop - start + step - 1) // step if step > 0 else (stop - start + step + 1) // step
        if n <= 0:
            raise ValueError("empty range for randrange() (" + str(start) + ", " + str(stop) + ", " + str(n) + ")")
        return start + step * _rnd_below(self._gen, n)

    def randint(self, a, b):
        return self.randrange(a, b + 1)

    def choice(self, seq):
        if not len(seq):
            raise IndexError("Cannot choose from an empty sequence")
        return seq[_rnd_below(self._gen, len(seq))]

    def choices(self, population, weights=None, cum_weights=None, k=1):
        n = len(population)
        if cum_weights is None:
            if weights is None:
                return [population[_rnd_below(self._gen, n)] for _ in range(k)]
            cum_weights = []
            total = 0.0
            for w in weights:
                total = total + w
                cum_weights.append(total)
        elif weights is not None:
            raise TypeError("Cannot specify both weights and cumulative weights")
        if len(cum_weights) != n:
            raise ValueError("The number of weights does not match the population")
        total = cum_weights[-1] + 0.0
        if total <= 0.0:
            raise ValueError("Total of weights must be greater than zero")
        out = []
        for _ in range(k):
            target = self.random() * total
            lo = 0
            hi = n - 1
            while lo < hi:
                mid = (lo + hi) // 2
                if target < cum_weights[mid]:
                    hi = mid
                else:
                    lo = mid + 1
            out.append(population[lo])
        return out

    def shuffle(self, x):
        for i in range(len(x) - 1, 0, -1):
            j = _rnd_below(self._gen, i + 1)
            tmp = x[i]
            x[i] = x[j]
            x[j] = tmp

    def sample(self, population, k):
        pool = list(population)
        n = len(pool)
        if not 0 <= k <= n:
            raise ValueError("Sample larger than population or is negative")
        out = []
        for i in range(k):
            j = i + _rnd_below(self._gen, n - i)
            tmp = pool[i]
            pool[i] = pool[j]
            pool[j] = tmp
            out.append(pool[i])
        return out

    def gauss(self, mu=0.0, sigma=1.0):
        return mu + sigma * _rnd_core("normal", self._gen)

    def normalvariate(self, mu=0.0, sigma=1.0):
        return self.gauss(mu, sigma)

    def expovariate(self, lambd=1.0):
        return -_rnd_math.log(1.0 - self.random()) / lambd

    def triangular(self, low=0.0, high=1.0, mode=None):
        u = self.random()
        c = 0.5 if mode is None else (mode - low) / (high - low)
        if u > c:
            u = 1.0 - u
            c = 1.0 - c
            low, high = high, low
        return low + (high - low) * _rnd_math.sqrt(u * c)

    def getrandbits(self, k):
        out = 0
        for _ in range(k):
            out = out * 2 + _rnd_below(self._gen, 2)
        return out


# The module's functions: the first generator, seeded from the exercise's seed.
_rnd_default = _rnd_Random()


def _rnd_exports():
    d = _rnd_default
    return {
        "Random": _rnd_Random,
        "seed": d.seed,
        "random": d.random,
        "uniform": d.uniform,
        "randrange": d.randrange,
        "randint": d.randint,
        "choice": d.choice,
        "choices": d.choices,
        "shuffle": d.shuffle,
        "sample": d.sample,
        "gauss": d.gauss,
        "normalvariate": d.normalvariate,
        "expovariate": d.expovariate,
        "triangular": d.triangular,
        "getrandbits": d.getrandbits,
    }
