"""Signing material for the pass tests: one throwaway development chain per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from passes.apple import (
    DesignAssets,
    DevChainFiles,
    Signer,
    SigningMaterial,
    load_pem_material,
    write_dev_chain,
)
from passes.content import CardKind
from tests.passes.sample_passes import KINDS, PASS_TYPE_ID, TEAM_ID, template_assets


@pytest.fixture(scope="session")
def dev_chain(tmp_path_factory: pytest.TempPathFactory) -> DevChainFiles:
    return write_dev_chain(
        tmp_path_factory.mktemp("devchain"), pass_type_id=PASS_TYPE_ID, team_id=TEAM_ID
    )


@pytest.fixture(scope="session")
def material(dev_chain: DevChainFiles) -> SigningMaterial:
    return load_pem_material(
        certificate=dev_chain.certificate,
        key=dev_chain.key,
        intermediate=dev_chain.intermediate,
        pass_type_id=PASS_TYPE_ID,
        team_id=TEAM_ID,
    )


@pytest.fixture(scope="session")
def signer(material: SigningMaterial) -> Signer:
    return Signer.from_material(material)


@pytest.fixture(scope="session")
def assets() -> dict[CardKind, DesignAssets]:
    return {kind: template_assets(kind) for kind in KINDS}


@pytest.fixture
def unpack_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "pkpass"
    folder.mkdir()
    return folder
