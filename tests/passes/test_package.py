"""The .pkpass container: pass.strings encoding, the ZIP writer and the manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passes.apple import PreparedFiles, build_package, decode_strings, encode_strings
from passes.apple.archive import ArchiveEntry, write_archive


class RecordingSigner:
    """Signs nothing; keeps the manifest it was asked to sign."""

    def __init__(self) -> None:
        self.manifests: list[bytes] = []

    def sign(self, manifest: bytes) -> bytes:
        self.manifests.append(manifest)
        return b"signature of " + hashlib.sha256(manifest).digest()


def test_pass_strings_is_utf16_little_endian_with_a_bom():
    data = encode_strings({"Balance": "Баланс"})
    assert data == b"\xff\xfe" + '"Balance" = "Баланс";\n'.encode("utf-16-le")


def test_pass_strings_escapes_quotes_backslashes_and_newlines():
    data = encode_strings({'Say "hi"': "a\\b\nc\td\re\x01"})
    assert data.decode("utf-16") == '"Say \\"hi\\"" = "a\\\\b\\nc\\td\\re\\U0001";\n'


@given(st.dictionaries(st.text(), st.text(), max_size=8))
def test_pass_strings_round_trip_any_text(table):
    assert decode_strings(encode_strings(table)) == table


def test_archive_entries_are_stored_and_readable():
    entries = [ArchiveEntry.stored("a.txt", b"alpha"), ArchiveEntry.stored("uk.lproj/b", b"")]
    archive = zipfile.ZipFile(io.BytesIO(write_archive(entries)))
    assert archive.testzip() is None
    assert [(i.filename, i.compress_type) for i in archive.infolist()] == [
        ("a.txt", zipfile.ZIP_STORED),
        ("uk.lproj/b", zipfile.ZIP_STORED),
    ]
    assert archive.read("a.txt") == b"alpha"


def test_a_prepared_entry_can_go_into_many_archives():
    shared = ArchiveEntry.stored("icon.png", b"\x89PNG-bytes")
    first = write_archive([ArchiveEntry.stored("pass.json", b"{}"), shared])
    second = write_archive([ArchiveEntry.stored("pass.json", b'{"a":1}'), shared])
    for data in (first, second):
        assert zipfile.ZipFile(io.BytesIO(data)).read("icon.png") == b"\x89PNG-bytes"


def test_the_manifest_hashes_every_file_and_is_what_gets_signed():
    signer = RecordingSigner()
    images = PreparedFiles.of({"icon.png": b"icon", "logo.png": b"logo"})
    data = build_package({"pass.json": b"{}", "en.lproj/pass.strings": b""}, [images], signer)
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = archive.read("manifest.json")
    assert signer.manifests == [manifest]
    assert archive.read("signature") == signer.sign(manifest)
    assert json.loads(manifest) == {
        name: hashlib.sha1(archive.read(name)).hexdigest()  # noqa: S324
        for name in ("pass.json", "en.lproj/pass.strings", "icon.png", "logo.png")
    }


def test_a_file_given_twice_is_refused():
    images = PreparedFiles.of({"icon.png": b"icon"})
    with pytest.raises(ValueError, match="twice"):
        build_package({"icon.png": b"other"}, [images], RecordingSigner())


@pytest.mark.parametrize(
    "name", ["manifest.json", "signature", "/pass.json", "a/../b", "en.lproj/", "a\\b", ""]
)
def test_names_that_would_break_the_pass_are_refused(name):
    with pytest.raises(ValueError, match="cannot be a file of a pass"):
        build_package({name: b"x"}, [], RecordingSigner())
