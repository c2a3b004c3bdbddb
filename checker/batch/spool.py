"""Results of a batch kept on disk, not in memory: the parent's memory stays flat as cases grow.

Each result is pickled to a private temporary file as it arrives (in any order); the parent keeps
only its offset, its length and its `Outline` (findings per status, error, waiver notice, coverage
finding), by input index (33 bytes a case). The spool reads as a read-only sequence in input
order, any number of times; every read unpickles a fresh object, so nothing accumulates. The file
is created unlinked (`tempfile.TemporaryFile`: mode 0600, no name on Linux), so it disappears when
the spool is closed or the process ends, however it ends (Ctrl-C, an error, SIGKILL). It is
written and read by position (`os.pwrite`, `os.pread`: POSIX), one system call a case.
"""

from __future__ import annotations

import contextlib
import errno
import marshal
import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence

from ..digest import Listing
from ..errors import SpaceError
from ..findings import STATUSES, CaseResult, Outline

_MISSING = -1
_NOTHING = -2   # a listing-only entry with nothing to list
_LISTING = 8    # flag: the entry is a cached Listing (a lines-only re-run), not a CaseResult


class ResultSpool(Sequence):
    def __init__(self, size: int, folder: str | None = None):
        self._file = tempfile.TemporaryFile(dir=folder, buffering=0)   # noqa: SIM115 (closed by close())
        self._offsets = array("q", [_MISSING]) * size
        self._lengths = array("I", [0]) * size
        self._counts = array("I", [0]) * (size * len(STATUSES))
        self._flags = bytearray(size)
        self._end = 0

    def put(self, index: int, result: CaseResult) -> None:
        """Store the result of case `index` (each index once)."""
        self.put_pickled(index, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), Outline.of(result))

    def put_pickled(self, index: int, data: bytes, outline: Outline) -> None:
        """Store a result a worker pickled, with its outline (the parent does not unpickle it)."""
        if self._offsets[index] != _MISSING:
            raise ValueError(f"result {index} is already spooled")
        try:
            self._write(data)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            per_case = max(1, self._end // max(1, sum(o != _MISSING for o in self._offsets)))
            need = len(self) * per_case / 2**20
            raise SpaceError(
                f"the temporary folder is full ({tempfile.gettempdir()}, TMPDIR): the batch keeps each "
                f"result there, about {per_case // 1024 + 1:,} KB a case, {need:,.1f} MB for these "
                f"{len(self):,} cases; set TMPDIR to a folder with room. No report was written; existing "
                "reports are unchanged") from None
        self._offsets[index] = self._end
        self._lengths[index] = len(data)
        self._end += len(data)
        self._set_outline(index, outline)

    def _write(self, data: bytes) -> None:
        fd, view, at = self._file.fileno(), memoryview(data), self._end
        while view:   # a write may be short
            done = os.pwrite(fd, view, at)
            view, at = view[done:], at + done

    def _set_outline(self, index: int, outline: Outline) -> None:
        width = len(STATUSES)
        self._counts[index * width:(index + 1) * width] = array("I", outline.counts)
        self._flags[index] = outline.error | outline.waiver_notices << 1 | outline.coverage << 2

    def put_listing(self, index: int, outline: Outline, listing: Listing | None) -> None:
        """Store only what the lines report shows of case `index` (a re-run whose only report is the
        lines report and whose result came from the cache): reading it as a result is an error."""
        if listing is None:
            if self._offsets[index] != _MISSING:
                raise ValueError(f"result {index} is already spooled")
            self._offsets[index] = _NOTHING
            self._set_outline(index, outline)
        else:
            self.put_pickled(index, marshal.dumps(tuple(listing)), outline)
        self._flags[index] |= _LISTING

    def _offset(self, index: int) -> int:
        offset = self._offsets[index]   # IndexError past the end, as a sequence should
        if offset == _MISSING:
            raise LookupError(f"result {index % len(self)} has not arrived")
        return offset

    def outline(self, index: int) -> Outline:
        self._offset(index)
        width = len(STATUSES)
        flags = self._flags[index]
        counts = tuple(self._counts[index * width:(index + 1) * width])
        return Outline(counts, bool(flags & 1), bool(flags & 2), bool(flags & 4))

    def read_if(self, wanted: Callable[[Outline], bool]
                ) -> Iterator[tuple[Outline, CaseResult | Listing | None]]:
        """Each case's outline in input order, with its result read only where `wanted` says (its
        Listing, for an entry that has only that)."""
        for index in range(len(self)):
            outline = self.outline(index)
            if not wanted(outline):
                yield outline, None
            elif self._flags[index] & _LISTING:
                yield outline, Listing._make(marshal.loads(self._read(index))) \
                    if self._offsets[index] != _NOTHING else None
            else:
                yield outline, self[index]

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if self._flags[index] & _LISTING:
            raise LookupError(f"result {index % len(self)}: only its lines were kept (a lines-only re-run)")
        return pickle.loads(self._read(index))

    def _read(self, index: int) -> bytes:
        offset, length = self._offset(index), self._lengths[index]
        data = os.pread(self._file.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"the spool lost result {index}: {len(data)} of {length} bytes read back")
        return data

    def __iter__(self) -> Iterator[CaseResult]:
        for index in range(len(self)):
            yield self[index]

    def missing(self) -> list[int]:
        """Indexes with no result yet."""
        return [i for i, offset in enumerate(self._offsets) if offset == _MISSING]

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        with contextlib.suppress(OSError):   # a full disk refuses the last flush too; the file is unlinked
            self._file.close()

    def __enter__(self) -> ResultSpool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
