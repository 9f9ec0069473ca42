"""Checks on a built .pkpass with real tools: unzip it, verify its signature with openssl."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def unpack(data: bytes, folder: Path) -> zipfile.ZipFile:
    """Extract the pass into ``folder`` and return the archive."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    archive.extractall(folder)
    return archive


def openssl_verify(folder: Path, root: Path) -> subprocess.CompletedProcess[str]:
    """Run `openssl cms -verify` on an unpacked pass against ``root`` (Apple's recipe)."""
    return subprocess.run(  # noqa: S603
        [OPENSSL, "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature",
         "-content", "manifest.json", "-purpose", "any", "-CAfile", str(root),
         "-out", os.devnull],
        cwd=folder, capture_output=True, text=True, check=False,
    )  # fmt: skip


def pass_json(data: bytes) -> dict[str, Any]:
    """The pass.json inside a .pkpass."""
    document: dict[str, Any] = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("pass.json"))
    return document


def field_values(document: dict[str, Any]) -> dict[str, str]:
    """Every field of a pass.json by key."""
    return {
        item["key"]: item["value"] for group in document["storeCard"].values() for item in group
    }
