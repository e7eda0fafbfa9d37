# The course's numpy: the Python half, shared by both runtimes. The arithmetic is Rust
# (runner/src/tinyml/numpy.rs), reached through `_np_core(op, *args)`, which each runtime
# defines before this file runs. An array is a flat list `_d`, a `shape` tuple and a kind
# `_k` ("f" float64, "i" int64, "b" bool); it crosses to Rust as a dict of those.
#
# Written in the Python both interpreters run: Monty (the default runtime) has no
# inheritance, properties, generators or operator dunders, so operators reach this module
# through the `__np_*` helpers at the end, which the Monty runner's rewrite calls in place of
# `a + b`, `a[i]` and `a.T`; RustPython uses the dunders and a property `T` that its own
# module (runner/rustpython/python/numpy.py) adds. Printing is numpy's own algorithm
# (array2string), so printed arrays read as real numpy prints them.

_NP_NAMES = {"f": "float64", "i": "int64", "b": "bool"}

# The builtins this module uses, bound before the module's own `max`, `min` and `abs` exist.
_np_builtin_max = max
_np_builtin_min = min
_np_builtin_abs = abs


class _NpDtype:
    def __init__(self, k):
        self._k = k
        self.name = _NP_NAMES[k]
        self.kind = k

    def __str__(self):
        return self.name

    def __repr__(self):
        return "dtype('" + self.name + "')"

    def __eq__(self, other):
        return _np_kind_or_none(other) == self._k

    def __hash__(self):
        return hash(self.name)


class _NpScalarType:
    """np.float64, np.int64, np.bool_: a dtype, and a function making that Python number."""

    def __init__(self, k):
        self._k = k
        self.__name__ = "bool" if k == "b" else _NP_NAMES[k]

    def __call__(self, x=0):
        if type(x) is ndarray:
            return x.astype(self)
        if self._k == "f":
            return float(x)
        if self._k == "i":
            return int(x)
        return bool(x)

    def __repr__(self):
        return "<class 'numpy." + self.__name__ + ("_" if self._k == "b" else "") + "'>"

    def __eq__(self, other):
        return _np_kind_or_none(other) == self._k

    def __hash__(self):
        return hash(self._k)


_NP_DTYPES = {"f": _NpDtype("f"), "i": _NpDtype("i"), "b": _NpDtype("b")}
_NP_FLOAT64 = _NpScalarType("f")
_NP_INT64 = _NpScalarType("i")
_NP_BOOL = _NpScalarType("b")


def _np_kind_or_none(d):
    if d is None:
        return None
    t = type(d)
    if t is _NpDtype or t is _NpScalarType:
        return d._k
    if d is float:
        return "f"
    if d is int:
        return "i"
    if d is bool:
        return "b"
    if t is str:
        if d in ("float64", "float", "f8", "double"):
            return "f"
        if d in ("int64", "int", "i8"):
            return "i"
        if d in ("bool", "?"):
            return "b"
    return "?"


def _np_kind(d):
    k = _np_kind_or_none(d)
    if k == "?":
        name = d if type(d) is str else getattr(d, "__name__", str(d))
        raise NotImplementedError(
            "the dtype " + str(name) + " is not in this course's numpy (use float64, int64 or bool)"
        )
    return k


def _np_in(x):
    """An argument as the Rust core reads it: arrays become dicts, sequences are mapped."""
    t = type(x)
    if t is ndarray:
        return {"d": x._d, "s": x.shape, "k": x._k}
    if t is list or t is tuple:
        return [_np_in(v) for v in x]
    return x


def _np_out(r):
    t = type(r)
    if t is dict:
        return ndarray(r["d"], r["s"], r["k"])
    if t is tuple:
        return tuple([_np_out(v) for v in r])
    return r


def _np_call(op, *args):
    return _np_out(_np_core(op, *args))


def _np_key(k):
    """An index as the Rust core reads it: one tagged tuple per entry."""
    if type(k) is not tuple:
        k = (k,)
    out = []
    for x in k:
        t = type(x)
        if t is slice:
            out.append(("s", x.start, x.stop, x.step))
        elif x is None:
            out.append(("n",))
        elif x is Ellipsis:
            out.append(("e",))
        elif t is ndarray or t is list:
            out.append(("a", _np_in(x)))
        elif t is int or t is bool:
            out.append(("i", x))
        elif t is float:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices"
            )
        else:
            raise IndexError("arrays cannot be indexed with " + type(x).__name__)
    return out


def _np_bin(op, a, b):
    return _np_call("binop", op, _np_in(a), _np_in(b))


def _np_axis_args(axis, keepdims):
    return (axis, bool(keepdims))


class ndarray:
    """An n-dimensional array of float64, int64 or bool."""

    def __init__(self, d, s, k):
        self._d = d
        self.shape = tuple(s)
        self._k = k
        self.ndim = len(self.shape)
        self.size = len(d)
        self.dtype = _NP_DTYPES[k]

    # --- shape ---------------------------------------------------------------------
    def reshape(self, *shape):
        if len(shape) == 1 and type(shape[0]) in (tuple, list):
            shape = shape[0]
        return _np_call("reshape", _np_in(self), list(shape))

    def transpose(self, *axes):
        if len(axes) == 1 and type(axes[0]) in (tuple, list):
            axes = axes[0]
        return _np_call("transpose", _np_in(self), list(axes) if axes else None)

    def flatten(self):
        return ndarray(list(self._d), (self.size,), self._k)

    def ravel(self):
        return self.flatten()

    def copy(self):
        return ndarray(list(self._d), self.shape, self._k)

    def astype(self, dtype):
        return _np_call("astype", _np_in(self), _np_kind(dtype))

    def tolist(self):
        return _np_nested(self._d, self.shape, 0, 0)

    def item(self, *index):
        if index:
            return self[index if len(index) > 1 else index[0]]
        if self.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return self._d[0]

    # --- reductions ----------------------------------------------------------------
    def sum(self, axis=None, keepdims=False):
        return _np_call("reduce", "sum", _np_in(self), axis, bool(keepdims))

    def prod(self, axis=None, keepdims=False):
        return _np_call("reduce", "prod", _np_in(self), axis, bool(keepdims))

    def mean(self, axis=None, keepdims=False):
        return _np_call("reduce", "mean", _np_in(self), axis, bool(keepdims))

    def max(self, axis=None, keepdims=False):
        return _np_call("reduce", "max", _np_in(self), axis, bool(keepdims))

    def min(self, axis=None, keepdims=False):
        return _np_call("reduce", "min", _np_in(self), axis, bool(keepdims))

    def argmax(self, axis=None, keepdims=False):
        return _np_call("reduce", "argmax", _np_in(self), axis, bool(keepdims))

    def argmin(self, axis=None, keepdims=False):
        return _np_call("reduce", "argmin", _np_in(self), axis, bool(keepdims))

    def std(self, axis=None, ddof=0, keepdims=False):
        return _np_call("reduce", "std", _np_in(self), axis, bool(keepdims), ddof)

    def var(self, axis=None, ddof=0, keepdims=False):
        return _np_call("reduce", "var", _np_in(self), axis, bool(keepdims), ddof)

    def any(self, axis=None, keepdims=False):
        return _np_call("reduce", "any", _np_in(self), axis, bool(keepdims))

    def all(self, axis=None, keepdims=False):
        return _np_call("reduce", "all", _np_in(self), axis, bool(keepdims))

    # --- other methods -------------------------------------------------------------
    def dot(self, other):
        return _np_call("dot", _np_in(self), _np_in(other))

    def argsort(self, axis=-1, kind=None):
        return _np_call("argsort", _np_in(self), axis)

    def clip(self, a_min=None, a_max=None):
        return _np_call("clip", _np_in(self), _np_in(a_min), _np_in(a_max))

    def round(self, decimals=0):
        return _np_call("round", _np_in(self), decimals)

    def _get(self, key):
        return _np_call("getitem", _np_in(self), _np_key(key))

    def _set(self, key, value):
        r = _np_core("setitem", _np_in(self), _np_key(key), _np_in(value))
        self._d = r["d"]

    def _row(self, i):
        n = self.size // self.shape[0]
        return ndarray(self._d[i * n:(i + 1) * n], self.shape[1:], self._k)

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        if self.ndim == 1:
            return iter(list(self._d))
        return iter([self._row(i) for i in range(self.shape[0])])

    def __contains__(self, x):
        return x in self._d

    def __str__(self):
        return _np_str(self)

    def __repr__(self):
        return _np_repr(self)


def _np_nested(d, shape, axis, start):
    if axis == len(shape):
        return d[start]
    if axis == len(shape) - 1:
        return list(d[start:start + shape[axis]])
    step = 1
    for n in shape[axis + 1:]:
        step = step * n
    return [_np_nested(d, shape, axis + 1, start + i * step) for i in range(shape[axis])]


# --- printing: numpy's array2string, float mode "maxprec", precision 8 ------------------


def _np_trim_zeros(s):
    while s.endswith("0"):
        s = s[:-1]
    return s


def _np_positional(x):
    s = f"{x:.8f}"
    return _np_trim_zeros(s)


def _np_scientific(x):
    s = f"{x:.8e}"
    mant, _, exp = s.partition("e")
    return _np_trim_zeros(mant) + "e" + exp


def _np_float_formatter(data):
    inf = float("inf")
    finite = [x for x in data if x == x and x != inf and x != -inf]
    nonzero = [_np_builtin_abs(x) for x in finite if x != 0]
    exp_format = False
    if nonzero:
        mx = _np_builtin_max(nonzero)
        mn = _np_builtin_min(nonzero)
        if mx >= 1e8 or mn < 0.0001 or mx / mn > 1000.0:
            exp_format = True
    pad_left = 0
    pad_right = 0
    precision = 8
    exp_size = -1
    if not finite:
        pass
    elif exp_format:
        strs = [_np_scientific(x) for x in finite]
        fracs = [s.partition("e")[0] for s in strs]
        exps = [s.partition("e")[2] for s in strs]
        exp_size = _np_builtin_max([len(e) for e in exps]) - 1
        precision = _np_builtin_max([len(f.split(".")[1]) for f in fracs])
        pad_left = _np_builtin_max([len(f.split(".")[0]) for f in fracs])
        pad_right = exp_size + 2 + precision
    else:
        strs = [_np_positional(x) for x in finite]
        pad_left = _np_builtin_max([len(s.split(".")[0]) for s in strs])
        pad_right = _np_builtin_max([len(s.split(".")[1]) for s in strs])
    if len(finite) != len(data):
        neginf = 1 if [x for x in data if x == -inf] else 0
        offset = pad_right + 1
        pad_left = _np_builtin_max(pad_left, 3 - offset, 3 + neginf - offset)

    def fmt(x):
        if x != x or x == inf or x == -inf:
            ret = "nan" if x != x else ("-inf" if x < 0 else "inf")
            return " " * (pad_left + pad_right + 1 - len(ret)) + ret
        if exp_format:
            s = f"{x:.{precision}e}"
            mant, _, exp = s.partition("e")
            sign = exp[0]
            digits = exp[1:]
            while len(digits) < exp_size:
                digits = "0" + digits
            ip, _, fp = mant.partition(".")
            return ip.rjust(pad_left) + "." + fp + "e" + sign + digits
        s = _np_positional(x)
        ip, _, fp = s.partition(".")
        return ip.rjust(pad_left) + "." + fp.ljust(pad_right)

    return fmt


def _np_formatter(a, data):
    if a._k == "b":
        return lambda x: " True" if x else "False"
    if a._k == "i":
        width = _np_builtin_max([len(str(x)) for x in data]) if data else 0
        return lambda x: str(x).rjust(width)
    return _np_float_formatter(data)


def _np_leading_trailing(a):
    """The elements numpy looks at to choose the format of a summarised array."""
    shape = a.shape

    def rec(axis, start):
        if axis == len(shape):
            return [a._d[start]]
        step = 1
        for n in shape[axis + 1:]:
            step = step * n
        n = shape[axis]
        idx = list(range(n)) if n <= 6 else [0, 1, 2, n - 3, n - 2, n - 1]
        out = []
        for i in idx:
            out = out + rec(axis + 1, start + i * step)
        return out

    return rec(0, 0)


def _np_extend_line(s, line, word, width, prefix):
    needs_wrap = len(line) + len(word) > width
    if len(line) <= len(prefix):
        needs_wrap = False
    if needs_wrap:
        s = s + line.rstrip() + "\n"
        line = prefix
    return s, line + word


def _np_array2string(a, separator, prefix, width):
    summarise = a.size > 1000
    data = _np_leading_trailing(a) if summarise else a._d
    fmt = _np_formatter(a, data)
    shape = a.shape
    ndim = len(shape)
    sep_r = separator.rstrip()

    def rec(axis, start, hanging, curr_width):
        if axis == ndim:
            return fmt(a._d[start])
        step = 1
        for n in shape[axis + 1:]:
            step = step * n
        nxt_hanging = hanging + " "
        nxt_width = curr_width - 1
        n = shape[axis]
        show = summarise and 6 < n
        leading = 3 if show else 0
        trailing = 3 if show else n
        s = ""
        if ndim - axis == 1:
            elem_width = curr_width - _np_builtin_max(len(sep_r), 1)
            line = hanging
            for i in range(leading):
                s, line = _np_extend_line(s, line, rec(axis + 1, start + i * step, nxt_hanging, nxt_width), elem_width, hanging)
                line = line + separator
            if show:
                s, line = _np_extend_line(s, line, "...", elem_width, hanging)
                line = line + separator
            for i in range(trailing, 1, -1):
                word = rec(axis + 1, start + (n - i) * step, nxt_hanging, nxt_width)
                s, line = _np_extend_line(s, line, word, elem_width, hanging)
                line = line + separator
            word = rec(axis + 1, start + (n - 1) * step, nxt_hanging, nxt_width)
            s, line = _np_extend_line(s, line, word, elem_width, hanging)
            s = s + line
        else:
            line_sep = sep_r + "\n" * (ndim - axis - 1)
            for i in range(leading):
                s = s + hanging + rec(axis + 1, start + i * step, nxt_hanging, nxt_width) + line_sep
            if show:
                s = s + hanging + "..." + line_sep
            for i in range(trailing, 1, -1):
                s = s + hanging + rec(axis + 1, start + (n - i) * step, nxt_hanging, nxt_width) + line_sep
            s = s + hanging + rec(axis + 1, start + (n - 1) * step, nxt_hanging, nxt_width)
        return "[" + s[len(hanging):] + "]"

    return rec(0, 0, " " + " " * len(prefix), width)


def _np_str(a):
    if a.ndim == 0:
        return str(a._d[0])
    if a.size == 0:
        return "[]"
    return _np_array2string(a, " ", "", 75)


def _np_repr(a):
    if a.ndim == 0:
        body = _np_float_formatter(a._d)(a._d[0]).strip() if a._k == "f" else str(a._d[0])
        return "array(" + body + ")"
    body = "[]" if a.size == 0 else _np_array2string(a, ", ", "array(", 74)
    extras = []
    if (a.size == 0 and a.shape != (0,)) or a.size > 1000:
        extras.append("shape=" + str(a.shape))
    if a.size == 0:
        extras.append("dtype=" + a.dtype.name)
    if not extras:
        return "array(" + body + ")"
    text = "array(" + body + ","
    extra = ", ".join(extras) + ")"
    last = len(text) - (text.rfind("\n") + 1)
    spacer = " "
    if last + len(extra) + 1 > 75:
        spacer = "\n" + " " * 6
    return text + spacer + extra


# --- module functions ------------------------------------------------------------------


def _np_array(obj, dtype=None):
    return _np_call("array", _np_in(obj), _np_kind(dtype) if dtype is not None else None)


def _np_asarray(obj, dtype=None):
    if type(obj) is ndarray and dtype is None:
        return obj
    return _np_array(obj, dtype)


def _np_zeros(shape, dtype=None):
    return _np_call("full", shape, 0, _np_kind(dtype) if dtype is not None else "f")


def _np_ones(shape, dtype=None):
    return _np_call("full", shape, 1, _np_kind(dtype) if dtype is not None else "f")


def _np_full(shape, fill_value, dtype=None):
    if dtype is None:
        dtype = bool if type(fill_value) is bool else (int if type(fill_value) is int else float)
    return _np_call("full", shape, fill_value, _np_kind(dtype))


def _np_zeros_like(a, dtype=None):
    a = _np_asarray(a)
    return _np_call("full", a.shape, 0, _np_kind(dtype) if dtype is not None else a._k)


def _np_ones_like(a, dtype=None):
    a = _np_asarray(a)
    return _np_call("full", a.shape, 1, _np_kind(dtype) if dtype is not None else a._k)


def _np_arange(start, stop=None, step=None, dtype=None):
    return _np_call("arange", start, stop, step, _np_kind(dtype) if dtype is not None else None)


def _np_linspace(start, stop, num=50, endpoint=True):
    return _np_call("linspace", start, stop, num, bool(endpoint))


def _np_eye(n, m=None, dtype=None):
    m = n if m is None else m
    out = _np_zeros((n, m), dtype)
    for i in range(_np_builtin_min(n, m)):
        out._set((i, i), 1)
    return out


def _np_shape(a):
    return _np_asarray(a).shape


def _np_ndim(a):
    return _np_asarray(a).ndim


def _np_reshape(a, shape):
    return _np_asarray(a).reshape(shape)


def _np_transpose(a, axes=None):
    a = _np_asarray(a)
    return a.transpose(axes) if axes is not None else a.transpose()


def _np_reducer(name):
    def reduce(a, axis=None, keepdims=False):
        return _np_call("reduce", name, _np_in(a), axis, bool(keepdims))

    return reduce


def _np_std(a, axis=None, ddof=0, keepdims=False):
    return _np_call("reduce", "std", _np_in(a), axis, bool(keepdims), ddof)


def _np_var(a, axis=None, ddof=0, keepdims=False):
    return _np_call("reduce", "var", _np_in(a), axis, bool(keepdims), ddof)


def _np_unary(name):
    def f(x):
        return _np_call("unary", name, _np_in(x))

    return f


def _np_binary(name):
    def f(a, b):
        return _np_bin(name, a, b)

    return f


def _np_clip(a, a_min=None, a_max=None):
    return _np_call("clip", _np_in(a), _np_in(a_min), _np_in(a_max))


def _np_where(condition, x=None, y=None):
    if x is None and y is None:
        return _np_call("nonzero", _np_in(condition))
    if x is None or y is None:
        raise ValueError("either both or neither of x and y should be given")
    return _np_call("where", _np_in(condition), _np_in(x), _np_in(y))


def _np_round(a, decimals=0):
    return _np_call("round", _np_in(a), decimals)


def _np_dot(a, b):
    return _np_call("dot", _np_in(a), _np_in(b))


def _np_matmul(a, b):
    return _np_call("matmul", _np_in(a), _np_in(b))


def _np_concatenate(arrays, axis=0):
    return _np_call("concatenate", _np_in(list(arrays)), axis)


def _np_stack(arrays, axis=0):
    return _np_call("stack", _np_in(list(arrays)), axis)


def _np_vstack(arrays):
    arrays = [_np_asarray(a) for a in arrays]
    arrays = [a.reshape(1, a.size) if a.ndim == 1 else a for a in arrays]
    return _np_concatenate(arrays, 0)


def _np_argsort(a, axis=-1, kind=None):
    """Always stable (numpy's kind="stable"), whatever `kind` says."""
    return _np_call("argsort", _np_in(a), axis)


def _np_sort(a, axis=-1, kind=None):
    return _np_call("sort", _np_in(a), axis)


def _np_unique(a, return_counts=False):
    return _np_call("unique", _np_in(a), bool(return_counts))


def _np_allclose(a, b, rtol=1e-05, atol=1e-08):
    return _np_core("allclose", _np_in(a), _np_in(b), rtol, atol)


def _np_array_equal(a, b):
    a = _np_asarray(a)
    b = _np_asarray(b)
    return a.shape == b.shape and bool(_np_bin("eq", a, b).all())


def _np_isnan(a):
    return _np_bin("ne", a, a)


class _NpGenerator:
    """np.random.default_rng(seed): our own generator (xoshiro256**), not numpy's PCG64."""

    def __init__(self, seed=None):
        self._id = _np_core("rng_new", seed)

    def normal(self, loc=0.0, scale=1.0, size=None):
        return _np_call("rng", self._id, "normal", loc, scale, size)

    def uniform(self, low=0.0, high=1.0, size=None):
        return _np_call("rng", self._id, "uniform", low, high, size)

    def random(self, size=None):
        return _np_call("rng", self._id, "random", None, None, size)

    def integers(self, low, high=None, size=None):
        return _np_call("rng", self._id, "integers", low, high, size)

    def permutation(self, x):
        return _np_call("rng", self._id, "permutation", _np_in(x))

    def shuffle(self, x):
        if type(x) is not ndarray:
            raise NotImplementedError("Generator.shuffle of a list is not in this course's numpy (shuffle an array)")
        x._d = x._get(self.permutation(x.shape[0]))._d

    def choice(self, a, size=None, replace=True):
        a = _np_asarray(a) if type(a) is not int else _np_arange(a)
        if not replace:
            idx = self.permutation(a.shape[0])
            n = 1 if size is None else size
            picked = a._get(idx._get(slice(0, n, None)))
            return picked._get(0) if size is None else picked
        idx = self.integers(0, a.shape[0], size)
        return a._get(idx)

    def __repr__(self):
        return "Generator(labbook)"


def _np_default_rng(seed=None):
    return _NpGenerator(seed)


class _NpNamespace:
    """A module-like object: numpy, numpy.random, numpy.linalg in Monty."""

    def __init__(self, name, members):
        self.__name__ = name
        for key in members:
            setattr(self, key, members[key])

    def __repr__(self):
        return "<module '" + self.__name__ + "'>"


def _np_norm(x, axis=None, keepdims=False):
    sq = _np_bin("mul", x, x)
    return _np_call("unary", "sqrt", _np_in(_np_call("reduce", "sum", _np_in(sq), axis, bool(keepdims))))


_NP_RANDOM = {"default_rng": _np_default_rng, "Generator": _NpGenerator}
_NP_LINALG = {"norm": _np_norm}


def _np_exports():
    """Every name of the course's numpy, as `numpy.<name>`."""
    return {
        "ndarray": ndarray,
        "dtype": _NpDtype,
        "float64": _NP_FLOAT64,
        "int64": _NP_INT64,
        "bool_": _NP_BOOL,
        "pi": 3.141592653589793,
        "e": 2.718281828459045,
        "inf": float("inf"),
        "nan": float("nan"),
        "newaxis": None,
        "array": _np_array,
        "asarray": _np_asarray,
        "zeros": _np_zeros,
        "ones": _np_ones,
        "full": _np_full,
        "zeros_like": _np_zeros_like,
        "ones_like": _np_ones_like,
        "arange": _np_arange,
        "linspace": _np_linspace,
        "eye": _np_eye,
        "shape": _np_shape,
        "ndim": _np_ndim,
        "reshape": _np_reshape,
        "transpose": _np_transpose,
        "sum": _np_reducer("sum"),
        "prod": _np_reducer("prod"),
        "mean": _np_reducer("mean"),
        "max": _np_reducer("max"),
        "min": _np_reducer("min"),
        "amax": _np_reducer("max"),
        "amin": _np_reducer("min"),
        "argmax": _np_reducer("argmax"),
        "argmin": _np_reducer("argmin"),
        "any": _np_reducer("any"),
        "all": _np_reducer("all"),
        "std": _np_std,
        "var": _np_var,
        "exp": _np_unary("exp"),
        "log": _np_unary("log"),
        "sqrt": _np_unary("sqrt"),
        "abs": _np_unary("abs"),
        "absolute": _np_unary("abs"),
        "square": _np_unary("square"),
        "tanh": _np_unary("tanh"),
        "sign": _np_unary("sign"),
        "floor": _np_unary("floor"),
        "ceil": _np_unary("ceil"),
        "round": _np_round,
        "clip": _np_clip,
        "where": _np_where,
        "maximum": _np_binary("maximum"),
        "minimum": _np_binary("minimum"),
        "add": _np_binary("add"),
        "subtract": _np_binary("sub"),
        "multiply": _np_binary("mul"),
        "divide": _np_binary("truediv"),
        "power": _np_binary("pow"),
        "dot": _np_dot,
        "matmul": _np_matmul,
        "concatenate": _np_concatenate,
        "stack": _np_stack,
        "vstack": _np_vstack,
        "argsort": _np_argsort,
        "sort": _np_sort,
        "unique": _np_unique,
        "allclose": _np_allclose,
        "array_equal": _np_array_equal,
        "isnan": _np_isnan,
        "random": _NpNamespace("numpy.random", _NP_RANDOM),
        "linalg": _NpNamespace("numpy.linalg", _NP_LINALG),
    }


def __np_missing(name):
    raise NotImplementedError(
        name + " is not in this course's numpy: it has arrays, their arithmetic, indexing and "
        "reductions, and the functions listed in the guide's page 'Python in this course'"
    )


# --- operators for Monty (see the Monty runner's rewrite) ---------------------------------


def __np_is(a, b):
    return type(a) is ndarray or type(b) is ndarray


def __np_add(a, b):
    return _np_bin("add", a, b) if __np_is(a, b) else a + b


def __np_sub(a, b):
    return _np_bin("sub", a, b) if __np_is(a, b) else a - b


def __np_mul(a, b):
    return _np_bin("mul", a, b) if __np_is(a, b) else a * b


def __np_truediv(a, b):
    return _np_bin("truediv", a, b) if __np_is(a, b) else a / b


def __np_floordiv(a, b):
    return _np_bin("floordiv", a, b) if __np_is(a, b) else a // b


def __np_mod(a, b):
    return _np_bin("mod", a, b) if __np_is(a, b) else a % b


def __np_pow(a, b):
    return _np_bin("pow", a, b) if __np_is(a, b) else a ** b


def __np_matmul(a, b):
    if __np_is(a, b):
        return _np_call("matmul", _np_in(a), _np_in(b))
    return a @ b


def __np_and(a, b):
    return _np_bin("and", a, b) if __np_is(a, b) else a & b


def __np_or(a, b):
    return _np_bin("or", a, b) if __np_is(a, b) else a | b


def __np_xor(a, b):
    return _np_bin("xor", a, b) if __np_is(a, b) else a ^ b


def __np_eq(a, b):
    return _np_bin("eq", a, b) if __np_is(a, b) else a == b


def __np_ne(a, b):
    return _np_bin("ne", a, b) if __np_is(a, b) else a != b


def __np_lt(a, b):
    return _np_bin("lt", a, b) if __np_is(a, b) else a < b


def __np_le(a, b):
    return _np_bin("le", a, b) if __np_is(a, b) else a <= b


def __np_gt(a, b):
    return _np_bin("gt", a, b) if __np_is(a, b) else a > b


def __np_ge(a, b):
    return _np_bin("ge", a, b) if __np_is(a, b) else a >= b


def __np_neg(a):
    return _np_call("unary", "neg", _np_in(a)) if type(a) is ndarray else -a


def __np_invert(a):
    return _np_call("unary", "invert", _np_in(a)) if type(a) is ndarray else ~a


def __np_getitem(o, k):
    if type(o) is ndarray:
        return o._get(k)
    return o[k]


def __np_setitem(o, k, v):
    if type(o) is ndarray:
        o._set(k, v)
    else:
        o[k] = v


def __np_T(o):
    return o.transpose() if type(o) is ndarray else o.T


def __np_inplace(op, a, b):
    """`a op= b`: an array changes in place (other names bound to it see the change)."""
    if type(a) is ndarray:
        r = _np_bin(op, a, b)
        if r.shape != a.shape:
            raise ValueError(
                "non-broadcastable output operand with shape " + str(a.shape)
                + " doesn't match the broadcast shape " + str(r.shape)
            )
        if r._k != a._k and (a._k != "f"):
            raise TypeError(
                "Cannot cast ufunc '" + op + "' output from dtype('" + r.dtype.name + "') to dtype('"
                + a.dtype.name + "') with casting rule 'same_kind'"
            )
        a._d = r._d if r._k == a._k else _np_call("astype", _np_in(r), a._k)._d
        return a
    if type(b) is ndarray:
        return _np_bin(op, a, b)
    return None


def __np_iadd(a, b):
    r = __np_inplace("add", a, b)
    if r is None:
        a += b
        return a
    return r


def __np_isub(a, b):
    r = __np_inplace("sub", a, b)
    if r is None:
        a -= b
        return a
    return r


def __np_imul(a, b):
    r = __np_inplace("mul", a, b)
    if r is None:
        a *= b
        return a
    return r


def __np_itruediv(a, b):
    r = __np_inplace("truediv", a, b)
    if r is None:
        a /= b
        return a
    return r


def __np_ifloordiv(a, b):
    r = __np_inplace("floordiv", a, b)
    if r is None:
        a //= b
        return a
    return r


def __np_imod(a, b):
    r = __np_inplace("mod", a, b)
    if r is None:
        a %= b
        return a
    return r


def __np_ipow(a, b):
    r = __np_inplace("pow", a, b)
    if r is None:
        a **= b
        return a
    return r


def __np_imatmul(a, b):
    if type(a) is ndarray or type(b) is ndarray:
        return _np_call("matmul", _np_in(a), _np_in(b))
    return a @ b
