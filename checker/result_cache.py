"""Results of unchanged case files, kept between runs: a batch re-run after an edit, a sign-off
review or a pre-commit hook re-checks only what changed.

A result is reused when everything that decides it is the same: the file's path as given and its
bytes, the catalogue (its key covers every rule pack, the checker's own source, the Python and
pydantic versions: checker/catalogue_cache.py), the tool, PyYAML and durable_rules versions, and
`--as-of`. A case that declares waivers also depends on the day they are judged on and on
`--no-waivers`: its entry is keyed by those too, so it is checked again on another day. Engine and
internal errors are never cached (a crash or a timeout says nothing about the file).

Storage: each run that checked anything appends its results to one new pack file (`pack-*.bin`:
each record a pickled brief then the pickled result) and, when it ends, writes the pack's index
(`pack-*.idx`: key → offset, sizes, CRC-32) atomically; a pack without its index is never read.
The newest packs are kept up to MAX_PACKS and MAX_BYTES; `offering-check cache --clear` removes
them. Files are read only when they belong to this user, nobody else may write to them or their
folder, and they are not symbolic links (as the catalogue cache); a record whose CRC does not
match, or an index that does not unpickle, is ignored, and the case is checked and stored again.
`--no-cache` or `OFFERING_CHECK_CACHE=off` turns the cache off.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pickle
import stat
import tempfile
import time
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from . import __version__
from .catalogue_cache import cache_dir
from .catalogue_cache import key as catalogue_key
from .findings import CaseBrief, Outline

MAX_PACKS = 16
MAX_BYTES = 512 * 2**20
_FORMAT = b"offering-check result cache 1"


def _ours(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_ours(path: str) -> BinaryIO | None:
    """The file opened for reading if it is a regular file of ours nobody else can write (no link
    followed; the opened descriptor is the one checked), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    fh = os.fdopen(fd, "rb")
    st = os.fstat(fh.fileno())
    if not stat.S_ISREG(st.st_mode) or not _ours(st):
        fh.close()
        return None
    return fh


@dataclass(frozen=True)
class Hit:
    brief: CaseBrief
    data: bytes          # the pickled CaseResult, as a worker would have sent it
    outline: Outline


def salt(rules_root: str, as_of, source_key: str | None = None) -> bytes:
    """What every key of this run shares: the tool, the catalogue (`source_key`: its cache key, when
    the catalogue cache already worked it out), the libraries, --as-of."""
    import yaml
    parts = (_FORMAT, __version__, source_key or catalogue_key(rules_root), yaml.__version__,
             str(yaml.__with_libyaml__), _durable_version(), str(as_of or ""))
    return hashlib.sha256("\0".join(map(str, parts)).encode()).digest()


def _durable_version() -> str:
    from importlib import metadata
    try:
        return metadata.version("durable-rules")
    except metadata.PackageNotFoundError:
        return ""


def file_key(run_salt: bytes, path: str, data: bytes) -> bytes:
    h = hashlib.sha256(run_salt)
    h.update(path.encode("utf-8", "surrogateescape") + b"\0")
    h.update(data)
    return h.digest()


def day_key(key: bytes, today, use_waivers: bool) -> bytes:
    """The key of a case that declares waivers: its file key, the day they are judged on, --no-waivers."""
    return hashlib.sha256(key + f"\0{today}\0{use_waivers}".encode()).digest()


class ResultCache:
    """One run's view of the cache: the packs' indexes read at the start, this run's new pack
    written as results arrive and indexed when the run ends (`close`)."""

    def __init__(self, folder: str, run_salt: bytes, today, use_waivers: bool):
        self.folder = os.path.join(folder, "results")
        self.salt, self.today, self.use_waivers = run_salt, today, use_waivers
        self.index: dict[bytes, tuple[str, int, int, int, int] | None] = {}
        self.hits = self.misses = 0
        self._packs: dict[str, BinaryIO | None] = {}
        self._new: dict[bytes, tuple[str, int, int, int, int] | None] = {}
        self._out: BinaryIO | None = None
        self._name = ""
        self._end = 0
        self._read_indexes()

    @classmethod
    def open(cls, rules_root: str, as_of, today, use_waivers: bool,
             source_key: str | None = None) -> ResultCache | None:
        """The cache, or None when it is off or cannot be used on this platform."""
        folder = cache_dir()
        if folder is None or not hasattr(os, "getuid"):
            return None
        try:
            return cls(folder, salt(rules_root, as_of, source_key), today, use_waivers)
        except OSError:
            return None

    # -- reading ---------------------------------------------------------------------------

    def _read_indexes(self) -> None:
        try:
            if not _ours(os.stat(self.folder)):
                return
        except OSError:
            return
        for path in sorted(glob.glob(os.path.join(self.folder, "pack-*.idx")), key=_mtime):
            fh = _open_ours(path)
            if fh is None:
                continue
            try:
                with fh:
                    head, entries = pickle.load(fh)
                if head == _FORMAT and isinstance(entries, dict):
                    self.index.update(entries)   # newer packs last: they win
            except Exception:   # truncated or from another build: its cases are checked again
                continue

    def lookup(self, path: str, data: bytes) -> Hit | None:
        key = file_key(self.salt, path, data)
        if key in self.index and self.index[key] is None:   # declares waivers: keyed by the day too
            key = day_key(key, self.today, self.use_waivers)
        entry = self.index.get(key)
        hit = self._record(entry) if entry else None
        if hit is None:
            self.misses += 1
        else:
            self.hits += 1
        return hit

    def _record(self, entry: tuple[str, int, int, int, int]) -> Hit | None:
        name, offset, brief_len, data_len, crc = entry
        fh = self._pack(name)
        if fh is None:
            return None
        try:
            fh.seek(offset)
            record = fh.read(brief_len + data_len)
            if len(record) != brief_len + data_len or zlib.crc32(record) != crc:
                return None
            brief = pickle.loads(record[:brief_len])
        except Exception:
            return None
        if not isinstance(brief, CaseBrief):
            return None
        return Hit(brief, record[brief_len:], Outline.of(brief))

    def _pack(self, name: str):
        if name not in self._packs:
            self._packs[name] = _open_ours(os.path.join(self.folder, name))
        return self._packs[name]

    # -- writing ---------------------------------------------------------------------------

    def store(self, key: bytes, declares_waivers: bool, brief: CaseBrief, data: bytes) -> None:
        """Keep one result checked in this run (`key`: its file key)."""
        if brief.error and brief.error.get("kind") != "input_error":
            return
        if declares_waivers:
            self._new[key] = None
            key = day_key(key, self.today, self.use_waivers)
        head = pickle.dumps(brief, protocol=pickle.HIGHEST_PROTOCOL)
        record = head + data
        try:
            out = self._output()
            out.write(record)
        except OSError:
            self._abandon()
            return
        self._new[key] = (self._name, self._end, len(head), len(data), zlib.crc32(record))
        self._end += len(record)

    def _output(self):
        if self._out is None:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            if not _ours(os.stat(self.folder)):
                raise OSError("the cache folder is not ours alone")
            fd, path = tempfile.mkstemp(dir=self.folder, prefix=f"pack-{time.time_ns():x}-", suffix=".bin")
            self._out, self._name = os.fdopen(fd, "wb"), os.path.basename(path)
        return self._out

    def _abandon(self) -> None:
        if self._out is not None:
            with contextlib.suppress(OSError):
                self._out.close()
                os.unlink(os.path.join(self.folder, self._name))
        self._out, self._new = None, {}

    def close(self) -> None:
        """Index this run's pack (atomically, after its data is on disk) and prune old packs."""
        for fh in self._packs.values():
            if fh is not None:
                with contextlib.suppress(OSError):
                    fh.close()
        self._packs = {}
        if self._out is None:
            return
        try:
            self._out.close()
            self._out = None
            base = os.path.join(self.folder, self._name.removesuffix(".bin"))
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".index.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump((_FORMAT, self._new), fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, base + ".idx")
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        except OSError:
            self._abandon()
            return
        prune(self.folder)


def _mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


def prune(folder: str, max_packs: int = MAX_PACKS, max_bytes: int = MAX_BYTES) -> None:
    """Keep the newest packs within the count and the size; drop data files left without an index
    (a run that ended early) once they are an hour old."""
    packs = sorted(glob.glob(os.path.join(folder, "pack-*.idx")), key=_mtime, reverse=True)
    total = 0
    for k, idx in enumerate(packs):
        data = idx.removesuffix(".idx") + ".bin"
        with contextlib.suppress(OSError):
            total += os.path.getsize(data)
        if k >= max_packs or total > max_bytes:
            for path in (idx, data):
                with contextlib.suppress(OSError):
                    os.unlink(path)
    indexed = {p.removesuffix(".idx") for p in packs}
    for data in glob.glob(os.path.join(folder, "pack-*.bin")):
        if data.removesuffix(".bin") not in indexed and time.time() - _mtime(data) > 3600:
            with contextlib.suppress(OSError):
                os.unlink(data)


def usage() -> dict:
    """Where the cache is and what it holds: for `offering-check cache`."""
    folder = cache_dir()
    if folder is None:
        return {"folder": None, "packs": 0, "bytes": 0, "catalogues": 0}
    results = os.path.join(folder, "results")
    packs = glob.glob(os.path.join(results, "pack-*.idx"))
    size = 0
    for path in glob.glob(os.path.join(results, "pack-*")):
        with contextlib.suppress(OSError):   # pruned meanwhile by another run
            size += os.path.getsize(path)
    return {"folder": folder, "packs": len(packs), "bytes": size,
            "catalogues": len(glob.glob(os.path.join(folder, "catalogue-*.pickle")))}


def clear() -> int:
    """Remove every result pack and cached catalogue; the number of files removed."""
    folder = cache_dir()
    if folder is None:
        return 0
    removed = 0
    for path in glob.glob(os.path.join(folder, "results", "pack-*")) + \
            glob.glob(os.path.join(folder, "catalogue-*.pickle")):
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
    return removed
