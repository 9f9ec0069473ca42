"""Signed .pkpass throughput: Tessera's own path against the bare minimum, in one run.

Product path, per pass: the issuer-side content (faces and back fields in four
languages) -> pass.json + four pass.strings -> manifest -> PKCS#7 signature -> ZIP with
the design's prepared images. Bare minimum, per pass: serialize a pass.json, SHA-1 it,
sign the manifest with the same key via cryptography, zipfile the same images stored.
The design target (DESIGN.md section 10) is a ratio of at least 0.7.

Run from the repository root: ``.venv/bin/python bench/pkpass.py [--passes N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

# Run as a script, Python puts bench/ on the path rather than the repository root.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7  # noqa: E402

from passes.apple import (  # noqa: E402
    AppleIdentity,
    DesignAssets,
    Signer,
    SigningMaterial,
    build_pkpass,
    load_pem_material,
    prepare_design_assets,
    render_pass,
    write_dev_chain,
)
from passes.content import Colours, Holder, PassContent, Program, Rgb  # noqa: E402
from passes.faces import LastOrder, back_fields, cashback_face  # noqa: E402
from passes.images import apple_image_set, check_image  # noqa: E402
from passes.localized import LocalizedText  # noqa: E402
from passes.money_display import Money  # noqa: E402

PASS_TYPE_ID = "pass.com.example.tessera"  # noqa: S105  (an identifier, not a password)
TEAM_ID = "ABCDE12345"
IDENTITY = AppleIdentity(PASS_TYPE_ID, TEAM_ID, "https://tessera.example/apple")
TOKEN = "bench-authentication-token-0001"  # noqa: S105  (throwaway bench token)
COLOURS = Colours(Rgb(22, 101, 52), Rgb(255, 255, 255), Rgb(187, 247, 208))
PROGRAM = Program(
    name=LocalizedText.from_mapping({"en": "Acme Club", "uk": "Клуб Акме"}, "en"),
    organization=LocalizedText("Acme Supplies"),
    description=LocalizedText("Acme Club cashback card"),
    logo_text=LocalizedText("Acme Club"),
)
TERMS = LocalizedText.from_mapping({"en": "Members only.", "uk": "Лише для учасників."}, "en")


def card_content(number: int) -> PassContent:
    """Return what the issuer would hand over for one card (balance varies per card)."""
    card_url = f"https://tessera.example/c/page-{number:08d}"
    order = LastOrder(Money(120_000 + number, "UAH"), datetime(2026, 5, 1, tzinfo=UTC))
    return PassContent(
        serial_number=f"S-{number:010d}",
        card_code="ABCDEFGHJKMNPQRS",
        grouped_code="ABCD-EFGH-JKMN-PQRS",
        holder=Holder("Olena Kovalenko", "Kovalenko & Sons LLC"),
        program=PROGRAM,
        colours=COLOURS,
        face=cashback_face(balance=Money(number * 7, "UAH"), percent=Decimal(5), language="en"),
        card_url=card_url,
        default_language="en",
        back_fields=back_fields(
            card_url=card_url, last_order=order, language="en", terms=TERMS, support="help@x.io"
        ),
    )


def design_images() -> dict[str, bytes]:
    """Return the cashback starter design's Apple image set."""
    folder = ROOT / "templates" / "cashback"
    checked = {name: check_image((folder / f"{name}.png").read_bytes(), role=name)
               for name in ("icon", "logo", "strip")}  # fmt: skip
    return apple_image_set(icon=checked["icon"], logo=checked["logo"], strip=checked["strip"])


def product(signer: Signer, assets: DesignAssets) -> Callable[[int], bytes]:
    """Return one pass built the way the service builds it."""

    def build(number: int) -> bytes:
        return build_pkpass(
            card_content(number),
            identity=IDENTITY,
            assets=assets,
            signer=signer,
            authentication_token=TOKEN,
        )

    return build


def bare_minimum(material: SigningMaterial, images: dict[str, bytes]) -> Callable[[int], bytes]:
    """Return one pass built with nothing but cryptography, hashlib and zipfile."""
    template = render_pass(card_content(0), IDENTITY, TOKEN).pass_json
    image_hashes = {name: hashlib.sha1(data).hexdigest() for name, data in images.items()}  # noqa: S324
    options = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]

    def build(number: int) -> bytes:
        pass_json = json.dumps(template | {"serialNumber": f"S-{number:010d}"}).encode()
        manifest = json.dumps(
            {"pass.json": hashlib.sha1(pass_json).hexdigest(), **image_hashes}  # noqa: S324
        ).encode()
        signature = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(manifest)
            .add_signer(material.certificate, material.key, hashes.SHA256())
            .add_certificate(material.intermediate)
            .sign(Encoding.DER, options)
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("pass.json", pass_json)
            for name, data in images.items():
                archive.writestr(name, data)
            archive.writestr("manifest.json", manifest)
            archive.writestr("signature", signature)
        return out.getvalue()

    return build


def rate(build: Callable[[int], bytes], passes: int) -> float:
    """Return passes per second for one round."""
    start = time.perf_counter()
    for number in range(passes):
        build(number)
    return passes / (time.perf_counter() - start)


def main() -> None:
    """Run the rounds and print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=400, help="passes per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = write_dev_chain(Path(folder), pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID)
        material = load_pem_material(
            certificate=files.certificate,
            key=files.key,
            intermediate=files.intermediate,
            pass_type_id=PASS_TYPE_ID,
            team_id=TEAM_ID,
        )
    images = design_images()
    ours = product(Signer.from_material(material), prepare_design_assets(images))
    bare = bare_minimum(material, images)
    ours(0), bare(0)  # warm caches and lazy imports outside the timing
    product_rates, bare_rates = [], []
    for _ in range(args.rounds):
        product_rates.append(rate(ours, args.passes))
        bare_rates.append(rate(bare, args.passes))
    report(args, product_rates, bare_rates)


def report(args: argparse.Namespace, product_rates: list[float], bare: list[float]) -> None:
    """Print the figures."""
    ours, floor = statistics.median(product_rates), statistics.median(bare)
    ratios = [p / b for p, b in zip(product_rates, bare, strict=True)]
    print(f"pkpass build: {args.rounds} rounds x {args.passes} passes, RSA-2048 dev chain")
    print(f"  product path (content -> signed .pkpass): {ours:8.0f} passes/s (median)")
    print(f"  bare minimum (cryptography + zipfile):    {floor:8.0f} passes/s (median)")
    print(f"  ratio: {ours / floor:.2f}x  (median of per-round ratios "
          f"{statistics.median(ratios):.2f}x; target >= 0.70x)")  # fmt: skip
    print(f"  product rounds: {', '.join(f'{r:.0f}' for r in product_rates)}")
    print(f"  bare rounds:    {', '.join(f'{r:.0f}' for r in bare)}")


if __name__ == "__main__":
    main()
