"""Results of unchanged case files, kept between runs: a batch re-run after an edit, a sign-off
review or a pre-commit hook re-checks only what changed.

A result is reused when everything that decides it is the same: the file's path as given and its
bytes, the catalogue (its key covers every rule pack, the checker's own source, the Python and
pydantic versions: checker/catalogue_cache.py), the tool, PyYAML and durable_rules versions, and
`--as-of`. A case that declares waivers also depends on the day they are judged on and on
`--no-waivers`: its entry is keyed by those too, so it is checked again on another day. Engine and
internal errors are never cached (a crash or a timeout says nothing about the file).

Storage: each run that checked anything appends its results to one new pack file (`pack-*.bin`:
each record the case's digest (digest.encode), its brief, then the result) and, when it
ends, writes the pack's index (`pack-*.idx`: key → offset, sizes, a CRC-32 of each part)
atomically; a pack without its index is never read. A pack's name begins with its run's salt, so
a run reads only the indexes of packs made under the same catalogue, versions and --as-of. A
re-run whose only report is the lines report, without a baseline or filters, reads only the
digests (and the briefs of the cases whose waivers the header lists); any other run reads whole
records.
The newest packs are kept up to MAX_PACKS and MAX_BYTES, the newest one whatever its size;
`offering-check cache --clear` removes them. Files are read only when they belong to this user,
nobody else may write to them or their folder, and they are not symbolic links (as the catalogue
cache); a record whose CRC does not match, or an index that does not unpickle, is ignored, and the
case is checked and stored again.
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
from typing import BinaryIO, NamedTuple

from . import __version__
from .catalogue_cache import cache_dir
from .catalogue_cache import key as catalogue_key
from .digest import Digest
from .digest import decode as decode_digest
from .findings import CaseBrief, Outline
from .versions import installed, libyaml

MAX_PACKS = 16
MAX_BYTES = 512 * 2**20
_FORMAT = b"offering-check result cache 3"
_Entry = tuple[str, int, int, int, int, int, int, int]   # pack, offset, 3 sizes, 3 CRCs


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


class Hit(NamedTuple):
    digest: Digest       # with its brief when the whole record or a logged case was read
    data: bytes | None   # the pickled CaseResult, as a worker would have sent it (whole records)

    @property
    def brief(self) -> CaseBrief | None:
        return self.digest.brief

    @property
    def outline(self) -> Outline:
        return self.digest.outline


def salt(rules_root: str, as_of, source_key: str | None = None) -> bytes:
    """What every key of this run shares: the tool, the catalogue (`source_key`: its cache key, when
    the catalogue cache already worked it out), the libraries, --as-of."""
    parts = (_FORMAT, __version__, source_key or catalogue_key(rules_root), installed("yaml", "PyYAML"),
             str(libyaml()), installed("durable", "durable-rules"), str(as_of or ""))
    return hashlib.sha256("\0".join(map(str, parts)).encode()).digest()


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
        self.tag = run_salt.hex()[:16]   # in the pack's name: the packs of this salt
        self.index: dict[bytes, _Entry | None] = {}
        self.hits = self.misses = 0
        self._packs: dict[str, BinaryIO | None] = {}
        self._fds: dict[str, int | None] = {}
        self._new: dict[bytes, _Entry | None] = {}
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
        # only this run's kind: a pack made under other rules, versions or --as-of can never hit
        for path in sorted(glob.glob(os.path.join(self.folder, f"pack-{self.tag}-*.idx")), key=_mtime):
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

    def lookup(self, path: str, data: bytes, shown: tuple[str, bool] | None = None) -> Hit | None:
        """The cached result of this file's bytes; with `shown` (lang, accept_uncovered), for a
        lines-only re-run, only its digest with that text (and its brief if the header lists its
        waivers)."""
        key = file_key(self.salt, path, data)
        entry = self.index.get(key)
        if entry is None and key in self.index:   # declares waivers: keyed by the day too
            entry = self.index.get(day_key(key, self.today, self.use_waivers))
        hit = self._record(entry, shown) if entry else None
        if hit is None:
            self.misses += 1
        else:
            self.hits += 1
        return hit

    def _record(self, entry: _Entry, shown: tuple[str, bool] | None) -> Hit | None:
        whole = shown is None
        try:
            name, offset, digest_size, brief_size, data_size, digest_crc, brief_crc, data_crc = entry
            fd = self._fds.get(name) if name in self._fds else self._open_pack(name)
            if fd is None:
                return None
            digest_bytes = os.pread(fd, digest_size, offset)
            if len(digest_bytes) != digest_size or zlib.crc32(digest_bytes) != digest_crc:
                return None
            digest = decode_digest(digest_bytes, shown)
            if not (whole or digest.logged):
                return Hit(digest, None)
            # the whole record, or a logged case's brief (the header lists its waivers)
            rest = os.pread(fd, brief_size + (data_size if whole else 0), offset + digest_size)
            brief_bytes, data_bytes = rest[:brief_size], rest[brief_size:]
            if len(brief_bytes) != brief_size or zlib.crc32(brief_bytes) != brief_crc:
                return None
            if whole and (len(data_bytes) != data_size or zlib.crc32(data_bytes) != data_crc):
                return None
            brief = pickle.loads(brief_bytes)
            if not isinstance(brief, CaseBrief):
                return None
        except Exception:
            return None
        return Hit(digest._replace(brief=brief), data_bytes if whole else None)

    def _open_pack(self, name: str) -> int | None:
        fh = self._packs[name] = _open_ours(os.path.join(self.folder, name))
        self._fds[name] = fd = fh.fileno() if fh is not None else None
        return fd

    # -- writing ---------------------------------------------------------------------------

    def store(self, key: bytes, declares_waivers: bool, brief: CaseBrief, data: bytes,
              digest: bytes) -> None:
        """Keep one result checked in this run (`key`: its file key; `digest`: as digest.encode gave it)."""
        if brief.error and brief.error.get("kind") != "input_error":
            return
        if declares_waivers:
            self._new[key] = None
            key = day_key(key, self.today, self.use_waivers)
        parts = [digest, pickle.dumps(brief, protocol=pickle.HIGHEST_PROTOCOL), data]
        try:
            out = self._output()
            out.writelines(parts)
        except OSError:
            self._abandon()
            return
        digest_len, brief_len, data_len = (len(p) for p in parts)
        digest_crc, brief_crc, data_crc = (zlib.crc32(p) for p in parts)
        self._new[key] = (self._name, self._end, digest_len, brief_len, data_len,
                          digest_crc, brief_crc, data_crc)
        self._end += sum(len(p) for p in parts)

    def _output(self):
        if self._out is None:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            if not _ours(os.stat(self.folder)):
                raise OSError("the cache folder is not ours alone")
            fd, path = tempfile.mkstemp(dir=self.folder, prefix=f"pack-{self.tag}-{time.time_ns():x}-",
                                        suffix=".bin")
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
        self._packs, self._fds = {}, {}
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
    """Keep the newest packs within the count and the size, and the newest pack whatever its size
    (a batch larger than the bound is still served on its next run); drop data files left without
    an index (a run that ended early) once they are an hour old."""
    packs = sorted(glob.glob(os.path.join(folder, "pack-*.idx")), key=_mtime, reverse=True)
    total = 0
    for k, idx in enumerate(packs):
        data = idx.removesuffix(".idx") + ".bin"
        with contextlib.suppress(OSError):
            total += os.path.getsize(data)
        if k >= max_packs or (k > 0 and total > max_bytes):
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
