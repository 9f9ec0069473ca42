"""Apple Wallet passes: pass.json, pass.strings, manifest, PKCS#7 signature, .pkpass.

Apple reference: https://developer.apple.com/documentation/walletpasses and section 1
of reference/wallet-protocols.md.
"""

from passes.apple.assets import DesignAssets, prepare_design_assets
from passes.apple.builder import MEDIA_TYPE, build_pkpass, encode_pass_json
from passes.apple.certificates import (
    CertificateProblem,
    CertificateReport,
    SigningMaterial,
    describe_certificate,
    load_p12_material,
    load_pem_material,
    read_certificate,
)
from passes.apple.devchain import DevChain, DevChainFiles, create_dev_chain, write_dev_chain
from passes.apple.package import PreparedFiles, build_package
from passes.apple.pass_json import AppleIdentity, PassDocument, render_pass
from passes.apple.signing import ManifestSigner, Signer
from passes.apple.strings import decode_strings, encode_strings

__all__ = [
    "MEDIA_TYPE",
    "AppleIdentity",
    "CertificateProblem",
    "CertificateReport",
    "DesignAssets",
    "DevChain",
    "DevChainFiles",
    "ManifestSigner",
    "PassDocument",
    "PreparedFiles",
    "Signer",
    "SigningMaterial",
    "build_package",
    "build_pkpass",
    "create_dev_chain",
    "decode_strings",
    "describe_certificate",
    "encode_pass_json",
    "encode_strings",
    "load_p12_material",
    "load_pem_material",
    "prepare_design_assets",
    "read_certificate",
    "render_pass",
    "write_dev_chain",
]
