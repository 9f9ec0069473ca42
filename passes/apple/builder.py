"""PassContent -> a signed .pkpass, the one call the issuer makes per pass.

Apple reference: section 1 of reference/wallet-protocols.md;
https://developer.apple.com/documentation/walletpasses/building-a-pass.
"""

from __future__ import annotations

import json
from typing import Any

from passes.apple.assets import DesignAssets
from passes.apple.package import build_package
from passes.apple.pass_json import AppleIdentity, render_pass
from passes.apple.signing import ManifestSigner
from passes.apple.strings import strings_files
from passes.content import PassContent

MEDIA_TYPE = "application/vnd.apple.pkpass"


def build_pkpass(
    content: PassContent,
    *,
    identity: AppleIdentity,
    assets: DesignAssets,
    signer: ManifestSigner,
    authentication_token: str | None = None,
) -> bytes:
    """Build one signed .pkpass from its content and its design's prepared images."""
    document = render_pass(content, identity, authentication_token)
    files = {"pass.json": encode_pass_json(document.pass_json)}
    files |= strings_files(document.strings)
    return build_package(files, assets.files_for(content), signer)


def encode_pass_json(document: dict[str, Any]) -> bytes:
    """Serialize pass.json once, compact UTF-8; these exact bytes are hashed and zipped."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
