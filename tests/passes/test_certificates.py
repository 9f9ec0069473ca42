"""Loading signing material: every classic certificate mistake is named at start-up."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    pkcs12,
)
from cryptography.x509.oid import ExtendedKeyUsageOID

from passes.apple import (
    CertificateProblem,
    DevChainFiles,
    SigningMaterial,
    describe_certificate,
    load_p12_material,
    load_pem_material,
    read_certificate,
    write_dev_chain,
)
from passes.apple.certificates import CertificateReport
from passes.apple.devchain import PASS_SIGNING_USAGE, PASS_TYPE_ID_EXTENSION, create_dev_chain
from tests.passes.sample_passes import PASS_TYPE_ID, TEAM_ID


def load(files: DevChainFiles, **overrides: Any) -> SigningMaterial:
    arguments: dict[str, Any] = {
        "certificate": files.certificate,
        "key": files.key,
        "intermediate": files.intermediate,
        "pass_type_id": PASS_TYPE_ID,
        "team_id": TEAM_ID,
    } | overrides
    return load_pem_material(**arguments)


def problem(files: DevChainFiles, **overrides: Any) -> str:
    with pytest.raises(CertificateProblem) as caught:
        load(files, **overrides)
    return str(caught.value)


@pytest.fixture(scope="module")
def other_chain(tmp_path_factory: pytest.TempPathFactory) -> DevChainFiles:
    return write_dev_chain(
        tmp_path_factory.mktemp("other"), pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID
    )


def test_a_matching_chain_loads(dev_chain):
    material = load(dev_chain)
    assert material.pass_type_id == PASS_TYPE_ID
    assert material.team_id == TEAM_ID


def test_a_mismatched_pass_type_id_names_both_identifiers_and_the_file(dev_chain):
    message = problem(dev_chain, pass_type_id="pass.com.example.other")
    assert str(dev_chain.certificate) in message
    assert f"'{PASS_TYPE_ID}' (its subject UID)" in message
    assert "'pass.com.example.other'" in message


def test_a_mismatched_team_id_names_both_teams(dev_chain):
    message = problem(dev_chain, team_id="ZZZZZ99999")
    assert f"team '{TEAM_ID}' (its subject OU)" in message
    assert "'ZZZZZ99999'" in message


def test_an_expired_certificate_is_refused(tmp_path):
    expired = write_dev_chain(
        tmp_path,
        pass_type_id=PASS_TYPE_ID,
        team_id=TEAM_ID,
        valid_from=datetime.now(UTC) - timedelta(days=400),
        valid_days=365,
    )
    message = problem(expired)
    assert "expired on" in message
    assert "35 days ago" in message


def test_a_certificate_is_refused_once_its_time_has_passed(dev_chain):
    later = datetime.now(UTC) + timedelta(days=400)
    assert "expired on" in problem(dev_chain, now=later)


def test_a_certificate_expiring_soon_loads_with_a_warning(tmp_path, caplog):
    soon = write_dev_chain(tmp_path, pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID, valid_days=10)
    with caplog.at_level(logging.WARNING, logger="passes.apple.certificates"):
        material = load(soon)
    assert material.describe().expires_soon
    assert "expires on" in caplog.text


def test_a_key_from_another_certificate_is_refused(dev_chain, other_chain):
    assert problem(dev_chain, key=other_chain.key) == (
        f"The private key {other_chain.key} does not belong to the certificate "
        f"{dev_chain.certificate}."
    )


def test_an_intermediate_that_did_not_issue_the_certificate_is_refused(dev_chain, other_chain):
    message = problem(dev_chain, intermediate=other_chain.intermediate)
    assert "was issued by" in message
    assert "WWDR intermediate" in message


def test_a_missing_file_is_named(dev_chain, tmp_path):
    missing = tmp_path / "nowhere.pem"
    assert problem(dev_chain, certificate=missing) == (
        f"Cannot read {missing}: No such file or directory."
    )


def test_a_file_that_is_no_certificate_is_named(dev_chain, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("hello")
    assert problem(dev_chain, intermediate=junk) == (
        f"{junk} is not a certificate in PEM or DER form."
    )


def test_a_der_intermediate_is_accepted(dev_chain, tmp_path):
    der = tmp_path / "AppleWWDRCAG4.cer"
    der.write_bytes(read_certificate(dev_chain.intermediate).public_bytes(Encoding.DER))
    intermediate = load(dev_chain, intermediate=der).intermediate
    assert "OU=G4" in intermediate.subject.rfc4514_string()


def test_an_encrypted_key_needs_its_password(tmp_path):
    files = write_dev_chain(
        tmp_path, pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID, key_password="s3cret"
    )
    assert load(files, key_password="s3cret").key is not None
    assert "encrypted but no password was given" in problem(files)
    assert "password is wrong" in problem(files, key_password="wrong")


def test_a_p12_bundle_loads_with_the_intermediate_file(dev_chain, material, tmp_path):
    bundle = tmp_path / "pass.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"pass", material.key, material.certificate, None, BestAvailableEncryption(b"pw")
        )
    )
    loaded = load_p12_material(
        bundle=bundle,
        password="pw",
        intermediate=dev_chain.intermediate,
        pass_type_id=PASS_TYPE_ID,
        team_id=TEAM_ID,
    )
    assert loaded.certificate == material.certificate


def test_a_p12_bundle_may_carry_its_intermediate(material, tmp_path):
    bundle = tmp_path / "full.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            None, material.key, material.certificate, [material.intermediate], NoEncryption()
        )
    )
    loaded = load_p12_material(bundle=bundle, pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID)
    assert loaded.intermediate == material.intermediate


def test_a_p12_bundle_checks_identifiers_too(dev_chain, material, tmp_path):
    bundle = tmp_path / "pass.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            None, material.key, material.certificate, None, NoEncryption()
        )
    )
    with pytest.raises(CertificateProblem, match="its subject OU"):
        load_p12_material(
            bundle=bundle,
            intermediate=dev_chain.intermediate,
            pass_type_id=PASS_TYPE_ID,
            team_id="OTHER12345",
        )


def test_a_p12_with_the_wrong_password_is_refused(material, tmp_path):
    bundle = tmp_path / "pass.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            None, material.key, material.certificate, None, BestAvailableEncryption(b"right")
        )
    )
    with pytest.raises(CertificateProblem, match="password is wrong"):
        load_p12_material(
            bundle=bundle, password="wrong", pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID
        )


def test_describe_certificate_reports_identity_and_days_left(material):
    now = material.certificate.not_valid_after_utc - timedelta(days=45, hours=1)
    report = describe_certificate(material.certificate, now=now)
    assert report == CertificateReport(
        subject=material.certificate.subject.rfc4514_string(),
        uid=PASS_TYPE_ID,
        team=TEAM_ID,
        issuer=material.intermediate.subject.rfc4514_string(),
        not_after=material.certificate.not_valid_after_utc,
        days_left=45,
    )
    assert not report.expires_soon
    assert not report.expired


def test_the_dev_certificate_is_shaped_like_apples():
    chain = create_dev_chain(pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID)
    usage = chain.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.CLIENT_AUTH, PASS_SIGNING_USAGE]
    marker = chain.certificate.extensions.get_extension_for_oid(PASS_TYPE_ID_EXTENSION).value
    assert isinstance(marker, x509.UnrecognizedExtension)
    assert marker.value[2:].decode() == PASS_TYPE_ID
    assert chain.certificate.subject.rfc4514_string().startswith(
        f"C=US,O=Tessera Development,OU={TEAM_ID},CN=Pass Type ID: {PASS_TYPE_ID},"
    )
    chain.certificate.verify_directly_issued_by(chain.intermediate)
    chain.intermediate.verify_directly_issued_by(chain.root)


def test_the_dev_key_file_is_private(dev_chain):
    assert Path(dev_chain.key).stat().st_mode & 0o777 == 0o600
