"""Write a report all at once or not at all: a temp file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile


class Pending:
    """A report being written to a temp file beside `path` (mode 0600 until it is committed).
    `commit()` renames it into place; `discard()` removes it, leaving any old report as it was."""

    def __init__(self, path: str):
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        fd, self.tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=1 << 16)
        except BaseException:
            os.close(fd)
            self.discard()
            raise

    def finish(self) -> None:
        """Flush the whole report to disk and close it (still under its temp name)."""
        if not self.fh.closed:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()

    def commit(self) -> None:
        self.finish()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)   # mkstemp makes 0600; a report is an ordinary file
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        fh = getattr(self, "fh", None)
        if fh is not None:
            with contextlib.suppress(OSError, ValueError):
                fh.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


def write_text(path: str, text: str) -> None:
    """Replace `path` with `text` atomically; on any failure the old file (if any) stays and no
    temp file is left behind."""
    pending = Pending(path)
    try:
        pending.fh.write(text)
        pending.commit()
    except BaseException:
        pending.discard()
        raise
