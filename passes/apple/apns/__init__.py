"""APNs pushes that tell Wallet to fetch updated passes.

Apple references (wallet-protocols.md §3 and §2.6):
https://developer.apple.com/documentation/usernotifications/establishing-a-connection-to-apns,
https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns,
https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns,
https://developer.apple.com/library/archive/documentation/UserExperience/Conceptual/PassKit_PG/Updating.html.

One client keeps one HTTP/2 connection to the APNs host and multiplexes a batch's pushes on it;
each push is `POST /3/device/<token>` with `apns-topic` = the pass type identifier and body `{}`.
"""

from passes.apple.apns.auth import ProviderToken, tls_context
from passes.apple.apns.client import (
    PRODUCTION_URL,
    ApnsClient,
    ApnsConfig,
    AsyncApnsClient,
    PushAction,
    PushResult,
    RetryPolicy,
)
from passes.apple.apns.http2 import ConnectionClosed

__all__ = [
    "PRODUCTION_URL",
    "ApnsClient",
    "ApnsConfig",
    "AsyncApnsClient",
    "ConnectionClosed",
    "ProviderToken",
    "PushAction",
    "PushResult",
    "RetryPolicy",
    "tls_context",
]
