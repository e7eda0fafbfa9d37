# `statistics` for the Monty runtime, which has none: CPython's functions for the lists a
# course uses. CPython sums exactly with fractions; here every value becomes an integer over a
# common power of two, so sums and means are exact too and results agree with CPython's.
# StatisticsError is ValueError (Monty has no subclasses).
import math as _st_math

_st_builtin_min = min
_st_builtin_abs = abs


def _st_fsum(xs):
    """math.fsum, which Monty lacks: Shewchuk's exact partial sums (Python's msum recipe)."""
    partials = []
    for x in xs:
        i = 0
        for y in partials:
            if _st_math.fabs(x) < _st_math.fabs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i = i + 1
            x = hi
        partials = partials[:i] + [x]
    total = 0.0
    for p in partials:
        total = total + p
    return total

_st_StatisticsError = ValueError


def _st_list(data, what, least=1):
    data = list(data)
    if len(data) < least:
        if least == 1:
            raise ValueError(what + " requires at least one data point")
        raise ValueError(what + " requires at least two data points")
    return data


def _st_all_int(data):
    for x in data:
        if type(x) is not int and type(x) is not bool:
            return False
    return True


def _st_ratio(num, den):
    """num / den for integers, correctly rounded (Monty divides large integers as floats)."""
    if num == 0:
        return 0.0
    negative = (num < 0) != (den < 0)
    num = _st_builtin_abs(num)
    den = _st_builtin_abs(den)
    k = 0
    while num < den * 18014398509481984:
        num = num * 2
        k = k + 1
    while num >= den * 36028797018963968:
        den = den * 2
        k = k - 1
    q, r = divmod(num, den)
    low = q % 4
    q = q // 4
    if low == 3 or (low == 2 and (r > 0 or q % 2 == 1)):
        q = q + 1
    x = _st_math.ldexp(float(q), 2 - k)
    return -x if negative else x


def _st_div(num, den):
    """num / den as CPython's statistics returns it: an int when exact for integer data."""
    if num % den == 0:
        return num // den
    return _st_ratio(num, den)


def _st_exact(data):
    """The values as integers over one power-of-two denominator, so sums are exact as in
    CPython's fractions: (numerators, denominator)."""
    parts = []
    for x in data:
        if type(x) is int or type(x) is bool:
            parts.append((int(x), 0))
        else:
            m, e = _st_math.frexp(x)
            parts.append((int(m * 9007199254740992), e - 53))
    low = _st_builtin_min([e for _, e in parts])
    if low >= 0:
        return [n * 2 ** e for n, e in parts], 1
    return [n * 2 ** (e - low) for n, e in parts], 2 ** (-low)


def _st_mean(data):
    data = _st_list(data, "mean")
    n = len(data)
    if _st_all_int(data):
        return _st_div(sum(data), n)
    nums, den = _st_exact(data)
    return _st_ratio(sum(nums), den * n)


def _st_fmean(data, weights=None):
    data = list(data)
    if weights is None:
        if not data:
            raise ValueError("fmean requires at least one data point")
        return _st_fsum(data) / len(data)
    weights = list(weights)
    return _st_fsum([x * w for x, w in zip(data, weights)]) / _st_fsum(weights)


def _st_median(data):
    data = sorted(data)
    if not data:
        raise ValueError("no median for empty data")
    n = len(data)
    if n % 2 == 1:
        return data[n // 2]
    i = n // 2
    return (data[i - 1] + data[i]) / 2


def _st_median_low(data):
    data = sorted(_st_list(data, "median_low"))
    n = len(data)
    return data[n // 2] if n % 2 == 1 else data[n // 2 - 1]


def _st_median_high(data):
    data = sorted(_st_list(data, "median_high"))
    return data[len(data) // 2]


def _st_multimode(data):
    counts = {}
    order = []
    for x in data:
        if x not in counts:
            counts[x] = 0
            order.append(x)
        counts[x] = counts[x] + 1
    if not counts:
        return []
    top = max(counts.values())
    return [x for x in order if counts[x] == top]


def _st_mode(data):
    modes = _st_multimode(data)
    if not modes:
        raise ValueError("no mode for empty data")
    return modes[0]


def _st_ss(data, c=None):
    """The sum of squared deviations from the mean, exactly, as (numerator, denominator)."""
    n = len(data)
    if c is None:
        nums, den = _st_exact(data)
        t = sum(nums)
        return sum([(n * a - t) * (n * a - t) for a in nums]), n * n * den * den
    return _st_fsum([(x - c) * (x - c) for x in data]), 1


def _st_result(num, den, data):
    """num / den, an int when exact for integer data (CPython's type rule)."""
    if type(num) is int and _st_all_int(data):
        return _st_div(num, den)
    return _st_ratio(num, den) if type(num) is int else num / den


def _st_variance(data, xbar=None):
    data = _st_list(data, "variance", 2)
    num, den = _st_ss(data, xbar)
    return _st_result(num, den * (len(data) - 1), data)


def _st_pvariance(data, mu=None):
    data = _st_list(data, "pvariance")
    num, den = _st_ss(data, mu)
    return _st_result(num, den * len(data), data)


def _st_sqrt(num, den):
    return _st_math.sqrt(_st_ratio(num, den) if type(num) is int else num / den)


def _st_stdev(data, xbar=None):
    data = _st_list(data, "stdev", 2)
    num, den = _st_ss(data, xbar)
    return _st_sqrt(num, den * (len(data) - 1))


def _st_pstdev(data, mu=None):
    data = _st_list(data, "pstdev")
    num, den = _st_ss(data, mu)
    return _st_sqrt(num, den * len(data))


def _st_geometric_mean(data):
    data = _st_list(data, "geometric_mean")
    return _st_math.exp(_st_fsum([_st_math.log(x) for x in data]) / len(data))


def _st_harmonic_mean(data):
    data = _st_list(data, "harmonic_mean")
    for x in data:
        if x < 0:
            raise ValueError("harmonic mean does not support negative values")
        if x == 0:
            return 0
    return len(data) / _st_fsum([1 / x for x in data])


def _st_quantiles(data, n=4, method="exclusive"):
    data = sorted(data)
    ld = len(data)
    if n < 1:
        raise ValueError("n must be at least 1")
    if ld < 2:
        raise ValueError("must have at least two data points")
    result = []
    if method == "inclusive":
        m = ld - 1
        for i in range(1, n):
            j = i * m // n
            delta = i * m - j * n
            result.append((data[j] * (n - delta) + data[j + 1] * delta) / n)
        return result
    m = ld + 1
    for i in range(1, n):
        j = i * m // n
        j = 1 if j < 1 else (ld - 1 if j > ld - 1 else j)
        delta = i * m - j * n
        result.append((data[j - 1] * (n - delta) + data[j] * delta) / n)
    return result


def _st_exports():
    return {
        "StatisticsError": _st_StatisticsError,
        "mean": _st_mean,
        "fmean": _st_fmean,
        "median": _st_median,
        "median_low": _st_median_low,
        "median_high": _st_median_high,
        "mode": _st_mode,
        "multimode": _st_multimode,
        "variance": _st_variance,
        "pvariance": _st_pvariance,
        "stdev": _st_stdev,
        "pstdev": _st_pstdev,
        "geometric_mean": _st_geometric_mean,
        "harmonic_mean": _st_harmonic_mean,
        "quantiles": _st_quantiles,
    }
