"""Settings: read once from ``TESSERA_*`` environment variables when the app is created."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = ROOT / "instance"
APPLE_PRODUCTION_APNS = "https://api.push.apple.com"
GOOGLE_WALLET_API = "https://walletobjects.googleapis.com"


class Secret(str):
    """A string that never shows itself in logs or reprs."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Secret('********')"


@dataclass(frozen=True)
class Settings:
    """Everything the service is configured with. Nothing reads the environment after this."""

    database_url: str
    secret_key: Secret
    public_url: str = "http://127.0.0.1:5000"
    instance_path: Path = DEFAULT_INSTANCE
    certs_path: Path = ROOT / "certs"
    apple_pass_type_id: str = "pass.dev.tessera.loyalty"  # noqa: S105 (an identifier, not a secret)
    apple_team_id: str = "TESSERADEV"
    apple_cert: Path | None = None
    apple_key: Path | None = None
    apple_key_password: Secret | None = None
    apple_wwdr: Path | None = None
    apns_url: str = APPLE_PRODUCTION_APNS
    apns_ca: Path | None = None
    apns_auth_key: Path | None = None
    apns_key_id: str | None = None
    google_issuer_id: str | None = None
    google_service_account: Path | None = None
    google_api_url: str = GOOGLE_WALLET_API
    smtp_url: str | None = None
    # The sender of enrollment confirmations and card links.
    mail_from: str = "Tessera <no-reply@tessera.invalid>"
    embedded_worker: bool = True
    # How long staff may undo their own orders; admins may undo any order at any time.
    staff_undo_minutes: int = 15
    # Where rate-limit counters live: per process by default, e.g. redis://host:6379 when shared.
    rate_limit_storage: str = "memory://"
    # The business's time zone: where a staff member's day starts and ends.
    timezone: str = "UTC"
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto headers are trusted.
    proxy_hops: int = 0
    # Database connections each web process keeps open between requests: at least its
    # threads (gunicorn --threads), or connections are closed and reopened under load.
    database_pool_size: int = 10

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build the settings from ``TESSERA_*`` variables, with embedded defaults for the rest."""
        env = os.environ if environ is None else environ
        instance = Path(env.get("TESSERA_INSTANCE_PATH", str(DEFAULT_INSTANCE)))
        values: dict[str, object] = {
            "instance_path": instance,
            "database_url": env.get("TESSERA_DATABASE_URL", f"sqlite:///{instance / 'tessera.db'}"),
            "secret_key": Secret(env.get("TESSERA_SECRET_KEY") or _instance_secret(instance)),
        }
        for spec in fields(cls):
            name = f"TESSERA_{spec.name.upper()}"
            if spec.name not in values and name in env and env[name] != "":
                values[spec.name] = _parse(spec.name, env[name])
        return cls(**values)  # type: ignore[arg-type]

    @property
    def dev_chain_path(self) -> Path:
        """Where `tessera certs dev` writes the development signing chain."""
        return self.certs_path / "dev"

    @property
    def apple_web_service_url(self) -> str:
        """Apple's webServiceURL for our passes."""
        return self.public_url.rstrip("/") + "/apple"


_PATHS = {
    "certs_path",
    "apple_cert",
    "apple_key",
    "apple_wwdr",
    "apns_ca",
    "apns_auth_key",
    "google_service_account",
    "instance_path",
}


def _parse(name: str, raw: str) -> object:
    if name in _PATHS:
        return Path(raw)
    if name in {"apple_key_password"}:
        return Secret(raw)
    if name in {"staff_undo_minutes", "proxy_hops", "database_pool_size"}:
        return int(raw)
    if name == "embedded_worker":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if name == "public_url":
        return raw.rstrip("/")
    return raw


def _instance_secret(instance: Path) -> str:
    """A development secret kept in the instance folder, made on first start."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def current_settings() -> Settings:
    """The settings of the running app."""
    from flask import current_app

    found: Settings = current_app.extensions["tessera.settings"]
    return found
