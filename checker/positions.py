"""Where each fact was written in its case file, worked out only when a finding asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Position

if TYPE_CHECKING:
    from .loading import Document, Path


class LazyPositions(dict):
    """A dict of name → Position whose values are stored as document paths until read. A Position
    set in it is kept as it is; reading (`[]`, get, values, items) always gives Positions."""

    def __init__(self, doc: Document, paths: dict[str, Path]):
        super().__init__(paths)
        self._doc = doc
        self.paths = paths   # name → the document path it was made from (the case's own key)

    def written(self, path: Path) -> bool:
        """Whether the case file has a node at `path`."""
        return tuple(path) in self._doc.marks

    def __getitem__(self, name: str) -> Position:
        value = super().__getitem__(name)
        if type(value) is tuple:
            value = self._doc.position(value)
            super().__setitem__(name, value)
        return value

    def __iter__(self):   # defined so that dict(self) and {**self} read through __getitem__
        return super().__iter__()

    def get(self, name: str, default=None):
        return self[name] if name in self else default   # noqa: SIM401 (self.get is this)

    def values(self):
        return [self[name] for name in self]

    def items(self):
        return [(name, self[name]) for name in self]

    def copy(self) -> dict[str, Position]:
        return dict(self.items())

    def __eq__(self, other) -> bool:
        return dict(self.items()) == (dict(other.items()) if isinstance(other, dict) else other)

    __hash__ = None

    def __reduce__(self):
        return dict, (self.items(),)
