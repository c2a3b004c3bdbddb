"""The compiled rule catalogue, kept between runs so a one-file check does not load and compile
every pack again (a pre-commit hook runs once per commit).

The key is a SHA-256 of the rules folder's path and every file under it (name and bytes), of the
checker's own source files and of the Python and pydantic versions: any change to a pack, or to
the code that reads and compiles packs, misses the cache and the packs are loaded again. One file
per key under `$XDG_CACHE_HOME/offering-checker` (default `~/.cache/offering-checker`), written
atomically; `OFFERING_CHECK_CACHE=off` turns the cache off, `OFFERING_CHECK_CACHE=DIR` moves it;
the newest eight catalogues are kept.

The file is a pickle, so it is read only when it belongs to this user and nobody else may write
to it or its folder. Any failure to read or write the cache is not an error: the packs are then
loaded as without one. A rule-pack error is never cached; it is raised on every run.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from typing import TYPE_CHECKING

from .boards import rules_dir
from .versions import installed

if TYPE_CHECKING:   # the rule-pack models load only when a catalogue is read or built
    from .rulepack import Catalogue

ENV = "OFFERING_CHECK_CACHE"
KEEP = 8
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def cache_dir() -> str | None:
    setting = os.environ.get(ENV, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return setting
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "offering-checker")


def key(root: str) -> str:
    pydantic = installed("pydantic", "pydantic")
    digest = hashlib.sha256(f"{sys.version}\0{pydantic}\0{os.path.abspath(root)}\0".encode())
    sources = sorted(glob.glob(os.path.join(_PACKAGE, "**", "*.py"), recursive=True))
    packs = sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True))
    for path in sources + packs:
        if os.path.isfile(path):
            digest.update(path.encode() + b"\0")
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return digest.hexdigest()


def _ours(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: str) -> Catalogue | None:
    """The cached catalogue, if the file is a regular file of ours that nobody else can write, in a
    folder nobody else can write. The file is opened without following a symbolic link and the
    opened descriptor is checked, so it cannot be swapped between the check and the read."""
    from .rulepack import Catalogue
    try:
        if not _ours(os.stat(os.path.dirname(path))):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or not _ours(st):
                return None
            catalogue = pickle.load(fh)
    except Exception:   # missing, truncated, from an incompatible build: load the packs instead
        return None
    return catalogue if isinstance(catalogue, Catalogue) else None


def _write(folder: str, path: str, catalogue: Catalogue) -> None:
    with contextlib.suppress(OSError, pickle.PicklingError):
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".catalogue.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(catalogue, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        _prune(folder)


def _prune(folder: str) -> None:
    """Keep the newest KEEP catalogues (several checkouts may share the folder)."""
    files = glob.glob(os.path.join(folder, "catalogue-*.pickle"))
    for old in sorted(files, key=os.path.getmtime, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(old)


def load_catalogue(root: str) -> Catalogue:
    """The packs loaded and compiled (the rule-pack models are imported only here)."""
    from .rulepack import load_catalogue as load
    return load(root)


def cached_catalogue(root: str | None = None) -> Catalogue:
    """The catalogue of `root`, from the cache when its packs and the checker are unchanged."""
    root = root or rules_dir()
    folder = cache_dir()
    if folder is None or not hasattr(os, "getuid"):
        return load_catalogue(root)
    try:
        path = os.path.join(folder, f"catalogue-{key(root)}.pickle")
    except OSError:
        return load_catalogue(root)
    catalogue = _read(path)
    if catalogue is None:
        catalogue = load_catalogue(root)
        _write(folder, path, catalogue)
    catalogue.source_key = os.path.basename(path)[len("catalogue-"):-len(".pickle")]   # for the result cache
    return catalogue
