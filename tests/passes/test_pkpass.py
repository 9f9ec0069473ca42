"""Whole .pkpass files, built for every card kind and checked the way Wallet would."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import pkcs7
from PIL import Image

from passes.apple import (
    AppleIdentity,
    DesignAssets,
    DevChainFiles,
    Signer,
    build_pkpass,
    decode_strings,
    render_pass,
)
from passes.content import CardKind
from passes.localized import LANGUAGES
from tests.passes.sample_passes import (
    IDENTITY,
    KINDS,
    PASS_TYPE_ID,
    TEAM_ID,
    TOKEN,
    content,
    face,
    full_state_changes,
)
from tests.pkpass_checks import OPENSSL, openssl_verify, unpack

GOLDEN = Path(__file__).parent / "golden"
REQUIRED_KEYS: dict[str, type] = {
    "formatVersion": int,
    "passTypeIdentifier": str,
    "teamIdentifier": str,
    "serialNumber": str,
    "organizationName": str,
    "description": str,
    "storeCard": dict,
    "barcodes": list,
    "backgroundColor": str,
    "foregroundColor": str,
    "labelColor": str,
    "logoText": str,
    "webServiceURL": str,
    "authenticationToken": str,
}
OPTIONAL_STATE_KEYS = ("voided", "expirationDate", "locations", "sharingProhibited")


def build(kind: CardKind, assets: dict[CardKind, DesignAssets], signer: Signer, **changes: Any):
    return build_pkpass(
        content(kind, **changes),
        identity=IDENTITY,
        assets=assets[kind],
        signer=signer,
        authentication_token=TOKEN,
    )


def every_field(document: dict[str, Any]) -> list[dict[str, str]]:
    return [item for group in document["storeCard"].values() for item in group]


@pytest.mark.parametrize("kind", KINDS)
def test_signature_verifies_with_openssl_against_the_dev_root(
    kind, assets, signer, dev_chain: DevChainFiles, unpack_dir
):
    unpack(build(kind, assets, signer), unpack_dir)
    result = openssl_verify(unpack_dir, dev_chain.root)
    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr


def test_openssl_rejects_a_manifest_changed_after_signing(assets, signer, dev_chain, unpack_dir):
    unpack(build(CardKind.CASHBACK, assets, signer), unpack_dir)
    manifest = unpack_dir / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b"{", b"{ ", 1))
    result = subprocess.run(  # noqa: S603
        [OPENSSL, "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature",
         "-content", "manifest.json", "-purpose", "any", "-CAfile", str(dev_chain.root),
         "-out", os.devnull],
        cwd=unpack_dir, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0


@pytest.mark.parametrize("kind", KINDS)
def test_manifest_lists_exactly_the_other_files_with_their_sha1(kind, assets, signer):
    archive = zipfile.ZipFile(io.BytesIO(build(kind, assets, signer)))
    manifest = json.loads(archive.read("manifest.json"))
    others = set(archive.namelist()) - {"manifest.json", "signature"}
    assert set(manifest) == others
    for name in others:
        assert manifest[name] == hashlib.sha1(archive.read(name)).hexdigest()  # noqa: S324


@pytest.mark.parametrize("kind", KINDS)
def test_archive_is_flat_valid_and_stores_images_uncompressed(kind, assets, signer):
    archive = zipfile.ZipFile(io.BytesIO(build(kind, assets, signer)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert not [name for name in names if name.endswith("/")]
    pngs = [info for info in archive.infolist() if info.filename.endswith(".png")]
    assert {"icon.png", "icon@2x.png", "icon@3x.png", "strip@3x.png"} <= {p.filename for p in pngs}
    assert all(info.compress_type == zipfile.ZIP_STORED for info in pngs)


def test_unzip_accepts_the_archive(assets, signer, tmp_path):
    path = tmp_path / "card.pkpass"
    path.write_bytes(build(CardKind.STAMP, assets, signer))
    result = subprocess.run(  # noqa: S603
        ["/usr/bin/unzip", "-tq", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_pass_json_has_every_required_key_with_its_type(kind, assets, signer):
    archive = zipfile.ZipFile(io.BytesIO(build(kind, assets, signer)))
    document = json.loads(archive.read("pass.json"))
    for key, expected in REQUIRED_KEYS.items():
        assert isinstance(document[key], expected), key
    assert document["formatVersion"] == 1
    assert document["barcodes"] == [
        {
            "format": "PKBarcodeFormatQR",
            "message": "ABCDEFGHJKMNPQRS",
            "messageEncoding": "iso-8859-1",
            "altText": "ABCD-EFGH-JKMN-PQRS",
        }
    ]
    assert "barcode" not in document
    assert document["backgroundColor"].startswith("rgb(")
    keys = [item["key"] for item in every_field(document)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("kind", KINDS)
def test_pass_json_matches_its_golden_file(kind):
    rendered = render_pass(content(kind), IDENTITY, TOKEN)
    golden = GOLDEN / f"{kind.value}.pass.json"
    actual = {"pass.json": rendered.pass_json, "pass.strings": rendered.strings}
    if os.environ.get("TESSERA_REGENERATE_GOLDEN"):
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert actual == json.loads(golden.read_text("utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_every_language_has_a_decodable_pass_strings(kind, assets, signer):
    archive = zipfile.ZipFile(io.BytesIO(build(kind, assets, signer)))
    document = json.loads(archive.read("pass.json"))
    texts = {value for item in every_field(document) for value in item.values()}
    for language in LANGUAGES:
        data = archive.read(f"{language}.lproj/pass.strings")
        assert data.startswith(b"\xff\xfe")
        table = decode_strings(data)
        assert set(table) <= texts | {document["description"], document["organizationName"]}
    assert decode_strings(archive.read("uk.lproj/pass.strings"))["Member"] == "Учасник"
    assert decode_strings(archive.read("en.lproj/pass.strings")) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_change_messages_carry_the_placeholder_in_every_language(kind, assets, signer):
    archive = zipfile.ZipFile(io.BytesIO(build(kind, assets, signer)))
    document = json.loads(archive.read("pass.json"))
    messages = [item["changeMessage"] for item in every_field(document) if "changeMessage" in item]
    assert messages
    for language in LANGUAGES:
        table = decode_strings(archive.read(f"{language}.lproj/pass.strings"))
        assert all("%@" in table.get(message, message) for message in messages)


@pytest.mark.parametrize(
    ("kind", "changing"),
    [
        (CardKind.DISCOUNT, {"last_order"}),
        (CardKind.ACCUMULATIVE, {"tier", "discount", "total_spent", "to_next_tier", "last_order"}),
        (CardKind.CASHBACK, {"balance", "last_order"}),
        (CardKind.STAMP, {"stamps", "rewards_ready", "last_order"}),
    ],
)
def test_fields_that_move_with_orders_announce_their_change(kind, changing):
    fields = every_field(render_pass(content(kind), IDENTITY, TOKEN).pass_json)
    announced = {item["key"] for item in fields if "changeMessage" in item}
    assert changing <= announced


def test_optional_state_keys_are_absent_unless_set():
    plain = render_pass(content(CardKind.CASHBACK), IDENTITY, TOKEN).pass_json
    assert not set(OPTIONAL_STATE_KEYS) & set(plain)


def test_optional_state_keys_appear_when_set():
    changes = full_state_changes()
    document = render_pass(content(CardKind.CASHBACK, **changes), IDENTITY, TOKEN).pass_json
    assert document["voided"] is True
    assert document["sharingProhibited"] is True
    assert document["expirationDate"] == "2027-01-31T23:59:59+00:00"
    assert document["locations"] == [
        {"latitude": 50.4501, "longitude": 30.5234, "relevantText": "Acme Kyiv store is nearby"},
        {"latitude": 52.2297, "longitude": 21.0122},
    ]


def test_web_service_keys_are_left_out_without_a_web_service():
    identity = AppleIdentity(PASS_TYPE_ID, TEAM_ID)
    document = render_pass(content(CardKind.DISCOUNT), identity).pass_json
    assert "webServiceURL" not in document
    assert "authenticationToken" not in document


@pytest.mark.parametrize("token", [None, "too-short"])
def test_web_service_needs_a_long_enough_token(token):
    with pytest.raises(ValueError, match=r"(?i)token"):
        render_pass(content(CardKind.DISCOUNT), IDENTITY, token)


def test_card_code_must_fit_the_declared_barcode_encoding():
    with pytest.raises(ValueError, match="ISO-8859-1"):
        render_pass(content(CardKind.DISCOUNT, card_code="КОД"), IDENTITY, TOKEN)


def test_signature_is_sha256_with_signing_time_and_carries_leaf_and_intermediate(
    assets, signer, unpack_dir
):
    unpack(build(CardKind.DISCOUNT, assets, signer), unpack_dir)
    printed = subprocess.run(  # noqa: S603
        [OPENSSL, "cms", "-cmsout", "-print", "-inform", "DER", "-in", "signature"],
        cwd=unpack_dir, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "sha256" in printed
    assert "signingTime" in printed
    assert "eContent: <ABSENT>" in printed
    certificates = pkcs7.load_der_pkcs7_certificates((unpack_dir / "signature").read_bytes())
    assert {c.subject for c in certificates} == {signer.certificate.subject,
                                                 signer.intermediate.subject}  # fmt: skip


def test_stamp_pass_carries_the_strip_for_its_own_count(assets, signer):
    three = zipfile.ZipFile(io.BytesIO(build(CardKind.STAMP, assets, signer)))
    four_of_ten = face(CardKind.STAMP, collected=4)
    four = zipfile.ZipFile(io.BytesIO(build(CardKind.STAMP, assets, signer, face=four_of_ten)))
    assert three.read("strip@2x.png") != four.read("strip@2x.png")
    assert three.read("icon.png") == four.read("icon.png")
    with Image.open(io.BytesIO(three.read("strip@3x.png"))) as strip:
        assert strip.size == (1125, 432)


def test_a_web_service_url_needs_a_web_scheme():
    with pytest.raises(ValueError, match="https://"):
        AppleIdentity(PASS_TYPE_ID, TEAM_ID, "tessera.example/apple")
