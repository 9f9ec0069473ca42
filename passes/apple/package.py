"""Files -> manifest.json -> signature -> .pkpass bytes, all in memory.

Apple reference: sections 1.1, 1.11 and 1.12 of reference/wallet-protocols.md;
https://developer.apple.com/documentation/walletpasses/building-a-pass.
manifest.json maps every other file's archive path to the lowercase SHA-1 hex of the
exact bytes written, and lists nothing else; a file missing from it makes Wallet
refuse the pass. Files shared by many passes (a design version's images) are hashed
and ZIP-encoded once as ``PreparedFiles``, so one pass costs only its own pass.json and
pass.strings, one manifest and one signature.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from passes.apple.archive import ArchiveEntry, write_archive
from passes.apple.signing import ManifestSigner

MANIFEST = "manifest.json"
SIGNATURE = "signature"
_RESERVED = frozenset({MANIFEST, SIGNATURE})


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One file of a pass, ready for the archive, with its manifest hash."""

    entry: ArchiveEntry
    sha1: str

    @classmethod
    def of(cls, name: str, data: bytes) -> PackageFile:
        """Check the archive path, hash the bytes and encode the ZIP headers."""
        _check_name(name)
        # Apple's manifest format is SHA-1; the signature over it is SHA-256.
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324
        return cls(ArchiveEntry.stored(name, data), digest)

    @property
    def name(self) -> str:
        """Return the archive path."""
        return self.entry.name


@dataclass(frozen=True, slots=True)
class PreparedFiles:
    """Files shared by many passes, hashed and encoded once."""

    files: tuple[PackageFile, ...]

    @classmethod
    def of(cls, files: Mapping[str, bytes]) -> PreparedFiles:
        """Prepare {archive path: bytes} for reuse across passes."""
        return cls(tuple(PackageFile.of(name, data) for name, data in files.items()))

    @property
    def names(self) -> tuple[str, ...]:
        """Return the archive paths."""
        return tuple(item.name for item in self.files)


def build_package(
    files: Mapping[str, bytes], prepared: Iterable[PreparedFiles], signer: ManifestSigner
) -> bytes:
    """Build the signed .pkpass from a pass's own files plus prepared shared files."""
    contents = [PackageFile.of(name, data) for name, data in files.items()]
    contents += [item for group in prepared for item in group.files]
    manifest = manifest_bytes(contents)
    signature = signer.sign(manifest)
    entries = [item.entry for item in contents]
    entries += (ArchiveEntry.stored(MANIFEST, manifest), ArchiveEntry.stored(SIGNATURE, signature))
    return write_archive(entries)


def manifest_bytes(contents: Iterable[PackageFile]) -> bytes:
    """Return manifest.json for the files: {path: SHA-1 hex}, compact UTF-8."""
    manifest: dict[str, str] = {}
    for item in contents:
        if item.name in manifest:
            raise ValueError(f"{item.name} appears twice in the pass")
        manifest[item.name] = item.sha1
    return json.dumps(manifest, separators=(",", ":")).encode("utf-8")


def _check_name(name: str) -> None:
    parts = name.split("/")
    if name in _RESERVED or "\\" in name or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{name!r} cannot be a file of a pass")
