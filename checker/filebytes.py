"""A case file's bytes, read with a bound: the first step of every check and of every cache lookup
(kept apart from the YAML loader, so a re-run served by the cache does not import PyYAML)."""

from __future__ import annotations

import os

from .errors import InputError, Position

MAX_BYTES = 2 * 1024 * 1024


def read_bytes(path: str, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes, refusing a file that cannot be read or is over the limit."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Position(path, 1, 1)) from None
    try:
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise InputError(
                f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes", Position(path, 1, 1)
            )
        raw = os.read(fd, size + 1)   # ask for the size, not the limit: read(n) allocates n bytes first
        if len(raw) != size:          # a short read, or it grew since the stat: read on to the limit
            parts, got = [raw], len(raw)
            while got <= max_bytes and (more := os.read(fd, max_bytes + 1 - got)):
                parts.append(more)
                got += len(more)
            raw = b"".join(parts)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Position(path, 1, 1)) from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise InputError(
            f"file is over the limit of {max_bytes:,} bytes", Position(path, 1, 1)
        )
    return raw
