"""Google Wallet end to end: save links, and objects kept up to date by the delivery worker.

Google's token endpoint and Wallet API are a local stand-in that validates every body it
receives against the walletobjects discovery document; the product reaches it only through
configuration (the key file's token_uri and TESSERA_GOOGLE_API_URL) and google-auth's flow.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from google.auth import crypt
from PIL import Image

from issuer import clock, media
from issuer.db.session import Database
from passes.google import ServiceAccountError, safe_suffix
from passes.images import check_image
from tests.conftest import Api
from tests.factories import make_api_key, make_card, make_program
from tests.google_server import GoogleStandIn, ServiceAccountKey
from webapp import create_app
from webapp.google_channel import GoogleChannel
from webapp.links import card_url
from webapp.settings import Settings
from webapp.wallets import google_passes
from webapp.worker import DeliveryWorker

ISSUER_ID = "3388000000022334455"
OBJECTS = "/walletobjects/v1/loyaltyObject"


@pytest.fixture(scope="module")
def google_key() -> ServiceAccountKey:
    """The test service account (an RSA key is slow to make: once per module)."""
    return ServiceAccountKey.generate()


@pytest.fixture
def google(google_key: ServiceAccountKey) -> Iterator[GoogleStandIn]:
    """Google's token endpoint and Wallet API on 127.0.0.1."""
    with GoogleStandIn([google_key]) as stand_in:
        yield stand_in


@pytest.fixture
def settings(
    settings: Settings, google: GoogleStandIn, google_key: ServiceAccountKey, tmp_path: Path
) -> Settings:
    """The test settings with Google Wallet configured against the stand-in."""
    key_file = google_key.write(tmp_path / "service-account.json", google.token_uri)
    return dataclasses.replace(
        settings,
        google_issuer_id=ISSUER_ID,
        google_service_account=key_file,
        google_api_url=google.url,
    )


@pytest.fixture
def worker(app: Flask, settings: Settings) -> DeliveryWorker:
    """A delivery worker with only the Google channel."""
    passes = google_passes(settings)
    assert passes is not None
    database: Database = app.extensions["tessera.database"]
    return DeliveryWorker(database, None, GoogleChannel(passes, lambda c: card_url(c, settings)))


def _card(api: Api, kind: str = "cashback") -> dict[str, Any]:
    _, program = api.call("POST", "/programs", body={"kind": kind, "name": kind, "slug": kind})
    api.call("POST", f"/programs/{program['id']}/publish")
    member = {"name": "Olena Kovalenko", "email": "olena@example.com", "company": "Acme"}
    _, card = api.call("POST", f"/programs/{program['id']}/cards", body={"member": member})
    return dict(card)


def _save(api: Api, card: dict[str, Any]) -> str:
    response = api.client.get(card["google_save_url"].removeprefix("https://tessera.test"))
    assert response.status_code == 302
    location: str = response.headers["Location"]
    return location


def _claims(link: str) -> dict[str, Any]:
    token = link.removeprefix("https://pay.google.com/gp/v/save/")
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * -len(payload)))
    return claims


def _order(api: Api, card: dict[str, Any], key: str, amount: int = 10_000) -> None:
    status, _ = api.call(
        "POST", f"/cards/{card['id']}/orders", key=api.pos_key, body={"amount": amount},
        **{"Idempotency-Key": key},
    )  # fmt: skip
    assert status == 201


def test_save_link_is_a_signed_jwt_with_the_right_claims(
    api: Api, google: GoogleStandIn, google_key: ServiceAccountKey
) -> None:
    card = _card(api)
    assert card["google_wallet"] == "ready"
    link = _save(api, card)
    assert link.startswith("https://pay.google.com/gp/v/save/")
    token = link.rsplit("/", 1)[1]
    signed, signature = token.rsplit(".", 1)
    # google-auth ships py.typed but leaves this factory unannotated.
    verifier = crypt.RSAVerifier.from_string(google_key.certificate_pem)  # type: ignore[no-untyped-call]
    assert verifier.verify(signed.encode(), base64.urlsafe_b64decode(signature + "=="))
    claims = _claims(link)
    assert (claims["iss"], claims["aud"], claims["typ"]) == (
        google_key.client_email,
        "google",
        "savetowallet",
    )
    assert "https://tessera.test" in claims["origins"]
    (saved,) = claims["payload"]["loyaltyObjects"]
    assert saved == {
        "id": f"{ISSUER_ID}.{safe_suffix(card['serial'])}",
        "classId": f"{ISSUER_ID}.program-{card['program_id']}-v1",
    }
    stored = google.wallet.objects[saved["id"]]
    assert stored["accountId"] == card["code"]
    assert stored["barcode"]["value"] == card["code"].replace("-", "")
    assert stored["state"] == "ACTIVE"


def test_an_order_results_in_one_patch_carrying_the_new_balance(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _save(api, card)
    assert worker.run_once() == 0  # the object Google holds is already current
    _order(api, card, "o1")
    assert worker.run_once() == 1
    patches = google.calls("PATCH", OBJECTS)
    assert len(patches) == 1
    assert patches[0].body["loyaltyPoints"]["balance"]["money"] == {
        "micros": "5000000",
        "currencyCode": "UAH",
    }
    assert worker.run_once() == 0


def test_several_orders_coalesce_into_one_patch(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _save(api, card)
    for n in range(5):
        _order(api, card, f"o{n}")
    worker.run_once()
    assert len(google.calls("PATCH", OBJECTS)) == 1


def test_a_429_then_200_is_retried(api: Api, google: GoogleStandIn, worker: DeliveryWorker) -> None:
    card = _card(api)
    _save(api, card)
    _order(api, card, "o1")
    google.fail(OBJECTS, 429, times=1, method="PATCH")
    assert worker.run_once() == 1
    assert [call.status for call in google.calls("PATCH", OBJECTS)] == [429, 200]


def test_google_refusing_keeps_the_update_for_later(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _save(api, card)
    _order(api, card, "o1")
    google.fail(OBJECTS, 400, times=1, method="PATCH", message="Invalid loyaltyPoints.")
    assert worker.run_once() == 0


def test_a_design_change_patches_the_class_and_every_object(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    holders = [card] + [
        dict(
            api.call(
                "POST", f"/programs/{card['program_id']}/cards",
                body={"member": {"name": f"M {n}", "email": f"m{n}@example.com"}},
            )[1]
        )
        for n in range(2)
    ]  # fmt: skip
    for holder in holders:
        _save(api, holder)
    design = api.call("GET", f"/programs/{card['program_id']}")[1]["design"]
    design["colors"]["background"] = "#123456"
    api.call("PATCH", f"/programs/{card['program_id']}", body={"design": design})
    api.call("POST", f"/programs/{card['program_id']}/publish")
    assert worker.run_once() == 3
    new_class = f"{ISSUER_ID}.program-{card['program_id']}-v2"
    assert google.wallet.classes[new_class]["hexBackgroundColor"] == "#123456"
    patched = {call.body["classId"] for call in google.calls("PATCH", OBJECTS)}
    assert patched == {new_class}
    assert len(google.calls("PATCH", OBJECTS)) == 3


def test_voiding_makes_the_object_inactive(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _save(api, card)
    api.call("POST", f"/cards/{card['id']}/void")
    worker.run_once()
    assert google.calls("PATCH", OBJECTS)[0].body["state"] == "INACTIVE"


def test_cards_never_saved_to_google_are_left_alone(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _order(api, card, "o1")
    assert worker.run_once() == 0
    assert google.calls("PATCH") == []


def test_without_google_configuration_the_api_and_link_say_so(
    settings: Settings, tmp_path: Path
) -> None:
    plain = dataclasses.replace(settings, google_issuer_id=None, google_service_account=None)
    app = create_app(plain)
    client = app.test_client()
    with app.extensions["tessera.database"].write() as session:
        card = make_card(session, program=make_program(session))
        key, card_id, token = make_api_key(session), card.id, card.page_token
        session.commit()
    found = client.get(f"/api/v1/cards/{card_id}", headers={"Authorization": f"Bearer {key}"})
    body = found.get_json()
    assert (body["google_save_url"], body["google_wallet"]) == (None, "not_configured")
    response = client.get(f"/c/{token}/google")
    assert response.status_code == 503
    assert b"Google Wallet is not set up" in response.data
    app.extensions["tessera.database"].dispose()


def test_a_broken_service_account_file_stops_start_up(settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ServiceAccountError):
        create_app(dataclasses.replace(settings, google_service_account=broken))


def test_certs_check_reports_the_service_account(app: Flask, google_key: ServiceAccountKey) -> None:
    result = app.test_cli_runner().invoke(args=["certs", "check"])
    assert result.exit_code == 0, result.output
    assert f"Google service account: {google_key.client_email}" in result.output
    assert f"key id: {google_key.key_id}" in result.output
    assert f"issuer id: {ISSUER_ID}" in result.output


def test_the_class_images_are_served_at_their_content_hashed_urls(
    api: Api, google: GoogleStandIn
) -> None:
    card = _card(api, "stamp")
    _save(api, card)
    (stored,) = google.wallet.classes.values()
    for image in (stored["programLogo"], stored["heroImage"]):
        url = image["sourceUri"]["uri"]
        response = api.client.get(url.removeprefix("https://tessera.test"))
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert hashlib.sha256(response.data).hexdigest() in url
        assert "immutable" in response.headers["Cache-Control"]
    assert api.client.get(f"/media/{'0' * 64}.png").status_code == 404


def test_the_class_shows_the_designs_uploaded_logo_and_hero(
    api: Api, app: Flask, google: GoogleStandIn
) -> None:
    card = _card(api, "discount")
    pictures = {}
    with app.extensions["tessera.database"].write() as session:
        for role, colour in (("logo", (255, 0, 0)), ("hero", (0, 0, 255))):
            out = io.BytesIO()
            Image.new("RGB", (64, 64), colour).save(out, format="PNG")
            pictures[role] = media.store_image(session, check_image(out.getvalue()), clock.now())
        session.commit()
    design = api.call("GET", f"/programs/{card['program_id']}")[1]["design"]
    api.call(
        "PATCH", f"/programs/{card['program_id']}", body={"design": design | {"images": pictures}}
    )
    api.call("POST", f"/programs/{card['program_id']}/publish")
    _save(api, card)
    (stored,) = google.wallet.classes.values()
    assert pictures["logo"] in stored["programLogo"]["sourceUri"]["uri"]
    assert pictures["hero"] in stored["heroImage"]["sourceUri"]["uri"]


def test_a_design_cannot_name_an_image_that_was_never_uploaded(api: Api) -> None:
    card = _card(api, "discount")
    design = api.call("GET", f"/programs/{card['program_id']}")[1]["design"]
    status, body = api.call(
        "PATCH",
        f"/programs/{card['program_id']}",
        body={"design": design | {"images": {"logo": "0" * 64}}},
    )
    assert status == 422
    assert "design.images.logo" in body["message"]
