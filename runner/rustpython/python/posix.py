"""`posix` for labbook's RustPython runtime: our `os` under the name `importlib` imports it by
(`importlib._bootstrap_external`, which `inspect` and so `dataclasses` load). The sandbox has
no posix module of its own."""

from os import *  # noqa: F401,F403
from os import environ, fspath, getcwd, listdir, stat  # noqa: F401

O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC = 0, 1, 2, 0o100, 0o200, 0o1000
