"""Google Wallet loyalty passes: class/object JSON, the save-link JWT, the REST client.

Google reference: https://developers.google.com/wallet/retail/loyalty-cards and the
walletobjects v1 REST reference (https://developers.google.com/wallet/reference/rest);
section 4 of reference/wallet-protocols.md.
"""

from passes.google.classes import UNDER_REVIEW, TierStep, loyalty_class, tier_ladder
from passes.google.client import (
    DEFAULT_BASE_URL,
    QUOTA_EXCEEDED,
    WALLET_SCOPE,
    Backoff,
    MessageResult,
    WalletApiError,
    WalletClient,
    wallet_message,
)
from passes.google.ids import resource_id, safe_suffix
from passes.google.notifications import (
    NOTIFICATION_WINDOW,
    NOTIFICATIONS_PER_WINDOW,
    next_notification_at,
    notification_allowed,
)
from passes.google.objects import ACTIVE, INACTIVE, loyalty_object, loyalty_points, money
from passes.google.save_link import (
    MAX_LINK_JWT_CHARS,
    SAVE_URL_PREFIX,
    exceeds_link_limit,
    origins_for,
    save_jwt,
    save_url,
    short_save_url,
    signer_from,
)
from passes.google.service_account import (
    ServiceAccountError,
    ServiceAccountSummary,
    read_service_account,
    service_account_summary,
)

__all__ = [
    "ACTIVE",
    "DEFAULT_BASE_URL",
    "INACTIVE",
    "MAX_LINK_JWT_CHARS",
    "NOTIFICATIONS_PER_WINDOW",
    "NOTIFICATION_WINDOW",
    "QUOTA_EXCEEDED",
    "SAVE_URL_PREFIX",
    "UNDER_REVIEW",
    "WALLET_SCOPE",
    "Backoff",
    "MessageResult",
    "ServiceAccountError",
    "ServiceAccountSummary",
    "TierStep",
    "WalletApiError",
    "WalletClient",
    "exceeds_link_limit",
    "loyalty_class",
    "loyalty_object",
    "loyalty_points",
    "money",
    "next_notification_at",
    "notification_allowed",
    "origins_for",
    "read_service_account",
    "resource_id",
    "safe_suffix",
    "save_jwt",
    "save_url",
    "service_account_summary",
    "short_save_url",
    "signer_from",
    "tier_ladder",
    "wallet_message",
]
