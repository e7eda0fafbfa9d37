"""Run before a program in labbook's RustPython runtime: output goes to the runner's capped
buffers, `open` reads the request's files, and `random` is seeded from the request's seed."""

import builtins
import sys

import _labbook
from _io import BytesIO, StringIO


class _Stream:
    """sys.stdout and sys.stderr: text to the runner, which keeps the first `max_output` bytes."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name, write):
        self.name = name
        self._write = write

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._write(text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False


sys.stdout = sys.__stdout__ = _Stream("<stdout>", _labbook.write_stdout)
sys.stderr = sys.__stderr__ = _Stream("<stderr>", _labbook.write_stderr)


def open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
    """Reads a file of the exercise; the sandbox has nothing to write to."""
    if not isinstance(file, (str, bytes)):
        import os

        file = os.fspath(file)
    name = file.decode() if isinstance(file, bytes) else file
    if any(flag in mode for flag in "wax+"):
        raise PermissionError(13, "Permission denied: the exercise sandbox cannot write files", name)
    while name.startswith("./"):
        name = name[2:]
    data = _labbook.read_file(name)
    if "b" in mode:
        return BytesIO(data)
    return StringIO(data.decode(encoding or "utf-8", errors or "strict"), newline)


builtins.open = open


class _SeededRandom:
    """Seeds `random` from the request's seed when the program first imports it."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "random":
            return None
        import _frozen_importlib

        spec = _frozen_importlib.FrozenImporter.find_spec(name)
        if spec is not None:
            cls._frozen = spec.loader
            spec.loader = cls
        return spec

    @staticmethod
    def create_module(spec):
        return None

    @classmethod
    def exec_module(cls, module):
        cls._frozen.exec_module(module)
        module.seed(_labbook.seed())


sys.meta_path.insert(0, _SeededRandom)


# RustPython without its host environment has no `_io.FileIO`, which `io` (and so `inspect`,
# `dataclasses`, `dis`) imports by name: a FileIO that cannot open anything, as `open` can't.
import _io

if not hasattr(_io, "FileIO"):

    class FileIO(_io._RawIOBase):
        def __init__(self, file, mode="r", closefd=True, opener=None):
            raise PermissionError(13, "Permission denied: the exercise sandbox has no files of its own", file)

    FileIO.__module__ = "_io"
    _io.FileIO = FileIO
    del FileIO


# Codecs beyond ascii and utf-8 (`re` encodes patterns as latin-1, `json` too) come from the
# frozen `encodings` package, imported on the first lookup of one so a run that needs none
# does not pay for it.
import codecs


def _search_encodings(name):
    import encodings

    return encodings.search_function(name)


codecs.register(_search_encodings)
del codecs
