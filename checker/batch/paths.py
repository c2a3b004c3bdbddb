"""A batch's file list, compact: the paths as one block of bytes and where each ends (about 56 bytes
a case where a list of str takes about 100, and forked workers count the parent's pages again)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence


class PathList(Sequence[str]):
    def __init__(self, paths: Iterable[str] = ()):
        self._blob = bytearray()
        self._ends = array("Q")
        for path in paths:
            self.append(path)

    def append(self, path: str) -> None:
        self._blob += path.encode("utf-8", "surrogateescape")   # any name the file system gave
        self._ends.append(len(self._blob))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        end = self._ends[index]   # IndexError past the end; a negative index counts from it
        start = self._ends[index - 1] if index % len(self) else 0
        return self._blob[start:end].decode("utf-8", "surrogateescape")

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._blob[start:end].decode("utf-8", "surrogateescape")
            start = end

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None   # type: ignore[assignment]
