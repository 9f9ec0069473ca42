"""A minimal in-memory ZIP writer for the .pkpass container, with reusable entries.

Apple reference: section 1.1 of reference/wallet-protocols.md (archive layout,
https://developer.apple.com/documentation/walletpasses/building-a-pass). A .pkpass is a
plain ZIP with every file at the root and no folder entries (a folder entry without a
manifest line makes Wallet refuse the pass). Entries are STORED: PNGs do not shrink
under deflate, and the whole local header of a design's image is computed once and
reused for every pass, which is where most of the per-pass ZIP cost would otherwise go.
Format: PKWARE APPNOTE.TXT sections 4.3.7 (local header), 4.3.12 (central directory)
and 4.3.16 (end of central directory).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHI")
_OFFSET = struct.Struct("<I")
_END = struct.Struct("<IHHHHIIH")

_LOCAL_SIGNATURE = 0x04034B50
_CENTRAL_SIGNATURE = 0x02014B50
_END_SIGNATURE = 0x06054B50
_VERSION = 20  # 2.0: the oldest version that every reader understands
_MADE_BY_UNIX = (3 << 8) | _VERSION
_UTF8_NAMES = 1 << 11
_STORED = 0
# 1980-01-01 00:00, the earliest DOS date: the archive's bytes then depend only on
# its contents, which keeps built passes reproducible apart from the signature.
_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1
_FILE_MODE = 0o100644 << 16
_MAX_SIZE = 0xFFFFFFFF
_MAX_ENTRIES = 0xFFFF


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One stored file with its ZIP headers already encoded."""

    name: str
    data: bytes
    local_header: bytes
    central_head: bytes
    encoded_name: bytes

    @classmethod
    def stored(cls, name: str, data: bytes) -> ArchiveEntry:
        """Encode a file's headers once; the entry can then go into any number of archives."""
        if len(data) > _MAX_SIZE:
            raise ValueError(f"{name} is too large for a ZIP without ZIP64")
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else _UTF8_NAMES
        crc = zlib.crc32(data)
        local = _LOCAL.pack(
            _LOCAL_SIGNATURE, _VERSION, flags, _STORED, _DOS_TIME, _DOS_DATE,
            crc, len(data), len(data), len(encoded), 0,
        )  # fmt: skip
        central = _CENTRAL.pack(
            _CENTRAL_SIGNATURE, _MADE_BY_UNIX, _VERSION, flags, _STORED, _DOS_TIME, _DOS_DATE,
            crc, len(data), len(data), len(encoded), 0, 0, 0, 0, _FILE_MODE,
        )  # fmt: skip
        return cls(name, data, local + encoded, central, encoded)


def write_archive(entries: Iterable[ArchiveEntry]) -> bytes:
    """Write entries, in order, into one ZIP archive."""
    parts: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for entry in entries:
        parts += (entry.local_header, entry.data)
        directory += (entry.central_head, _OFFSET.pack(offset), entry.encoded_name)
        offset += len(entry.local_header) + len(entry.data)
    count = len(directory) // 3
    if count > _MAX_ENTRIES or offset > _MAX_SIZE:
        raise ValueError("the archive is too large for a ZIP without ZIP64")
    central = b"".join(directory)
    end = _END.pack(_END_SIGNATURE, 0, 0, count, count, len(central), offset, 0)
    return b"".join(parts) + central + end
