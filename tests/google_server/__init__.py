"""A local stand-in for Google's OAuth token endpoint and the Google Wallet REST API.

``GoogleStandIn`` is a real HTTP/1.1 server on 127.0.0.1; ``ServiceAccountKey`` makes a
throwaway service account whose key file points its ``token_uri`` at it; ``wallet_schemas``
checks JSON against the walletobjects v1 discovery document that google-api-python-client
ships. Typical use::

    key = ServiceAccountKey.generate()
    with GoogleStandIn([key]) as google:
        client = WalletClient(key.info(google.token_uri), base_url=google.url)
"""

from tests.google_server.accounts import ServiceAccountKey
from tests.google_server.schema import WalletSchemas, discovery_document, wallet_schemas
from tests.google_server.server import JWT_BEARER, WALLET_SCOPE, GoogleStandIn, Recorded
from tests.google_server.wallet import Answer, WalletApi, google_error

__all__ = [
    "JWT_BEARER",
    "WALLET_SCOPE",
    "Answer",
    "GoogleStandIn",
    "Recorded",
    "ServiceAccountKey",
    "WalletApi",
    "WalletSchemas",
    "discovery_document",
    "google_error",
    "wallet_schemas",
]
