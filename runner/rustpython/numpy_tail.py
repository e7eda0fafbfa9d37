# The RustPython half of the course's numpy module, appended to the shared numpy.py by
# build.rs: RustPython calls operator dunders and properties, so arrays get them here (Monty
# reaches the same helpers through the runner's rewrite), and the module and its parts raise
# an error naming anything outside the course's numpy.
import sys as _np_sys


def _np_op(op):
    return lambda self, other: _np_bin(op, self, other)


def _np_rop(op):
    return lambda self, other: _np_bin(op, other, self)


for _np_name, _np_opname in (
    ("add", "add"), ("sub", "sub"), ("mul", "mul"), ("truediv", "truediv"), ("floordiv", "floordiv"),
    ("mod", "mod"), ("pow", "pow"), ("and", "and"), ("or", "or"), ("xor", "xor"),
):
    setattr(ndarray, "__" + _np_name + "__", _np_op(_np_opname))
    setattr(ndarray, "__r" + _np_name + "__", _np_rop(_np_opname))
for _np_name in ("eq", "ne", "lt", "le", "gt", "ge"):
    setattr(ndarray, "__" + _np_name + "__", _np_op(_np_name))
ndarray.__matmul__ = lambda self, other: _np_call("matmul", _np_in(self), _np_in(other))
ndarray.__rmatmul__ = lambda self, other: _np_call("matmul", _np_in(other), _np_in(self))
ndarray.__iadd__ = lambda self, other: __np_iadd(self, other)
ndarray.__isub__ = lambda self, other: __np_isub(self, other)
ndarray.__imul__ = lambda self, other: __np_imul(self, other)
ndarray.__itruediv__ = lambda self, other: __np_itruediv(self, other)
ndarray.__ifloordiv__ = lambda self, other: __np_ifloordiv(self, other)
ndarray.__imod__ = lambda self, other: __np_imod(self, other)
ndarray.__ipow__ = lambda self, other: __np_ipow(self, other)
ndarray.__neg__ = lambda self: _np_call("unary", "neg", _np_in(self))
ndarray.__pos__ = lambda self: self.copy()
ndarray.__invert__ = lambda self: _np_call("unary", "invert", _np_in(self))
ndarray.__abs__ = lambda self: _np_call("unary", "abs", _np_in(self))
ndarray.__getitem__ = lambda self, key: self._get(key)
ndarray.__setitem__ = lambda self, key, value: self._set(key, value)
ndarray.__hash__ = None
ndarray.T = property(lambda self: self.transpose())


def _np_len(self):
    if self.ndim == 0:
        raise TypeError("len() of unsized object")
    return self.shape[0]


def _np_scalar(self, convert):
    if self.size != 1:
        raise TypeError("only length-1 arrays can be converted to Python scalars")
    return convert(self._d[0])


def _np_bool(self):
    if self.size != 1:
        raise ValueError(
            "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()"
        )
    return bool(self._d[0])


def _np_array_getattr(self, name):
    if name.startswith("__"):
        raise AttributeError(name)
    __np_missing("numpy.ndarray." + name)


def _np_namespace_getattr(self, name):
    if name.startswith("__"):
        raise AttributeError(name)
    __np_missing(self.__name__ + "." + name)


ndarray.__len__ = _np_len
ndarray.__bool__ = _np_bool
ndarray.__float__ = lambda self: _np_scalar(self, float)
ndarray.__int__ = lambda self: _np_scalar(self, int)
ndarray.__getattr__ = _np_array_getattr
_NpNamespace.__getattr__ = _np_namespace_getattr

globals().update(_np_exports())
_np_sys.modules["numpy.random"] = random
_np_sys.modules["numpy.linalg"] = linalg


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    __np_missing("numpy." + name)
