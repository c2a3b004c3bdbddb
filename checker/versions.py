"""The installed version of a library, read from its distribution's folder name without importing
the library or `importlib.metadata` (both cost a start-up tens of milliseconds)."""

from __future__ import annotations

import glob
import importlib.machinery
import importlib.util
import os


def installed(package: str, distribution: str) -> str:
    """`distribution`'s version where `package` is installed; "" if neither is found."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return ""
    site = os.path.dirname(next(iter(spec.submodule_search_locations)))
    name = distribution.replace("-", "_")
    for spelling in dict.fromkeys((name, name.lower())):
        for folder in sorted(glob.glob(os.path.join(site, f"{glob.escape(spelling)}-*.dist-info"))):
            return os.path.basename(folder)[len(spelling) + 1:-len(".dist-info")]
    from importlib import metadata  # an egg, an editable or another layout: ask the slow way
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def libyaml() -> bool:
    """Whether PyYAML has its C extension (the loader then parses with libyaml), without importing
    PyYAML: the extension module's file in its package folder."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or not spec.submodule_search_locations:
        return False
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return any(os.path.exists(os.path.join(folder, "_yaml" + suffix))
               for folder in spec.submodule_search_locations for suffix in suffixes)
