"""tinyml in labbook's RustPython runtime: every function calls the Rust implementation the
Monty runtime uses (runner/src/tinyml) through the `_labbook` native module, so both runtimes
compute the same numbers. See runner/tinyml.pyi for the API."""

import _labbook


def _function(name):
    def call(*args, **kwargs):
        return _labbook.tinyml(name, args, kwargs)

    call.__name__ = call.__qualname__ = name
    call.__module__ = "tinyml"
    return call


__all__ = list(_labbook.tinyml_functions())
for _name in __all__:
    globals()[_name] = _function(_name)
del _name
