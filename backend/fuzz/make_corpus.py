#!/usr/bin/env python3
"""Writes the seed corpora of backend/fuzz/corpus/ from the documented examples (README.md,
docs/ingest.md) and the provider fixtures (../shared/fixtures, see its README). Run it again after
changing it; the outputs are committed, so the fuzz targets never need the fixtures.

Provider payloads are trimmed to the fields the parsers read and written compactly, so each seed
stays small (a few KB): libFuzzer's default input size follows the largest seed, and small inputs
run faster. Signatures and tokens are computed here with the same fake secrets the targets use.
"""
import base64
import hashlib
import hmac
import json
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = REPO.parent / "shared" / "fixtures"
CORPUS = HERE / "corpus"

STRIPE_SECRET = "whsec_omnitrackiqTestSecretNotReal0123456789"  # the fixture's, as in stripe_signature_fuzz.cpp
SHOPIFY_SECRET = "omnitrackiq-test-shopify-client-secret"  # the fixture's, as in shopify_hmac_fuzz.cpp
JWT_SECRET = "fuzz-jwt-secret-0123456789abcdef-0123456789"  # as in jwt_fuzz.cpp
NOW = 1795000000


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def fixture(path):
    return json.loads((FIXTURES / path).read_text())


def write(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data.encode() if isinstance(data, str) else data)


def json_bodies():
    hex40 = "0123456789abcdef" * 2 + "01234567"
    seeds = {
        "signup": {"email": "ann@example.com", "password": "a-Decent-passphrase", "account_name": "Ann Shop",
                   "timezone": "Europe/Berlin", "currency": "EUR"},
        "login": {"email": "ann@example.com", "password": "a-Decent-passphrase"},
        "switch_account": {"account_id": "acct_8f3k2j"},
        "change_password": {"current_password": "a-Decent-passphrase", "new_password": "another-Decent-one"},
        "api_key": {"name": "n8n", "role": "ingest"},
        "create_account": {"name": "Client Store", "timezone": "America/New_York", "currency": "USD"},
        "update_account": {"name": "  Ann Shop  ", "currency": "JPY"},
        "invite": {"email": "bob@example.com", "role": "analyst"},
        "role_change": {"role": "viewer"},
        "erasure": {"confirm": "acct_8f3k2j"},
        "accept_invitation": {"token": "inv_2b7d9c0e4f"},
        "reset_request": {"email": " ann@example.com "},
        "reset_confirm": {"token": "rst_5a1c", "new_password": "a-Decent-passphrase"},
        "checkout": {"plan": "growth", "interval": "month"},
        "checkout_year": {"plan": "agency", "interval": "year"},
        "patch_meta": {"settings": {"ad_account_ids": ["act_1234567890", "987"],
                                    "purchase_action_type": "omni_purchase", "backfill_days": 90,
                                    "restatement_days": 28}, "sync_frequency_minutes": 60},
        "patch_reset": {"settings": {"backfill_days": None}},
        "connect_shopify": {"shop": "https://My-Store.myshopify.com/"},
        "connect_woocommerce": {"store_url": "https://shop.example.com/", "consumer_key": "ck_" + hex40,
                                "consumer_secret": "cs_" + hex40},
    }
    for name, body in seeds.items():
        write("json_bodies", name, compact(body))
    write("json_bodies", "plans", compact(json.loads((REPO / "config" / "plans.json").read_text())))


def ingest():
    spend = {"platform": "meta", "ad_account_id": "act_1", "campaign_id": "c1", "campaign_name": "Prospecting",
             "date": "2026-11-01", "currency": "USD", "spend": 12345, "impressions": 1000, "clicks": 50,
             "conversions": 3, "conversion_value": 45000}
    order = {"platform": "shopify", "external_id": "1001", "order_number": "#1001",
             "placed_at": "2026-11-01T03:30:00Z", "currency": "USD", "total": 10000, "subtotal": 9000,
             "discounts": 0, "shipping": 500, "tax": 500, "financial_status": "paid", "cancelled_at": None,
             "test": False, "customer": {"external_id": "c-9", "email": "a@example.com"},
             "landing_site": "/?utm_source=facebook&utm_campaign=bf", "referring_site": None,
             "refunds": [{"external_id": "r1", "created_at": "2026-11-03T10:00:00Z", "amount": 2000}]}
    write("ingest", "spend_rows", compact({"rows": [spend]}))
    write("ingest", "order_rows", compact({"rows": [order]}))
    write("ingest", "spend_bare_array", compact([spend, dict(spend, date="2026-11-02", platform="google_ads",
                                                             campaign_id=42, conversions=2.5)]))
    guest = dict(order, external_id=1002, placed_at="2008-01-10T11:00:00-05:00",
                 updated_at="2008-01-11T09:00:00.123+01:00", customer={"email": "Guest@Example.com"},
                 landing_site="/p?fbclid=IwAR%20x&utm_medium=paid+social&gclid=abc#top",
                 presentment_currency="EUR", line_items_count=3, refunds=[])
    write("ingest", "order_guest", compact({"rows": [guest]}))
    bad = dict(spend, date="2026-13-01", spend=12.34, currency="usd")
    write("ingest", "mixed_with_rejects", compact({"rows": [spend, bad, spend, 7]}))
    write("ingest", "landing_site", "/collections/sale?utm_source=facebook&utm_medium=cpc&utm_campaign=black%20friday"
                                    "&utm_content=ad%C3%A9&utm_term=shoes&ttclid=E.C.P&fbclid=x")


def metrics_query():
    queries = {
        "summary": "from=2026-10-01&to=2026-10-31&compare=previous_period",
        "timeseries": "from=2026-01-01&to=2026-10-31&interval=week&metrics=revenue,spend,roas&group_by=platform",
        "campaigns": "sort=platform_roas&limit=20",
        "campaigns_search": "q=black%20friday&order=asc&sort=name&platform=facebook_ads&cursor=eyJrIjoxfQ",
        "orders": "status=refunded&sort=total&order=desc&limit=200",
        "orders_csv": "from=2026-01-01&to=2026-10-31",
        "day": "2026-02-28",
    }
    for name, query in queries.items():
        write("metrics_query", name, query)


def meta_insights():
    page = fixture("facebook/insights_campaign_daily_with_purchases.constructed.json")
    page.pop("_about")
    write("meta_insights", "insights_page", compact(page))
    last = {"data": [dict(page["data"][1], spend=0.5, account_currency="JPY", campaign_id=120200000000000002)],
            "paging": {"cursors": {"before": "MAZDZD", "after": "MQZDZD"}}}
    write("meta_insights", "last_page_numbers", compact(last))
    write("meta_insights", "empty_page", '{"data":[]}')


def shopify_order(order):
    keep = ["id", "name", "order_number", "processed_at", "created_at", "updated_at", "currency",
            "presentment_currency", "total_price", "total_price_set", "subtotal_price", "subtotal_price_set",
            "total_discounts", "total_discounts_set", "total_shipping_price_set", "total_tax", "total_tax_set",
            "financial_status", "fulfillment_status", "cancelled_at", "test", "email", "source_name",
            "landing_site", "referring_site"]
    out = {k: order[k] for k in keep if k in order}
    customer = order.get("customer") or {}
    out["customer"] = {k: customer[k] for k in ("id", "email", "first_name", "last_name") if k in customer}
    out["line_items"] = [{"id": item["id"], "quantity": item.get("quantity")} for item in order.get("line_items", [])]
    out["refunds"] = [shopify_refund(r) for r in order.get("refunds", [])]
    return out


def shopify_refund(refund):
    keep_tx = ("id", "kind", "status", "currency", "amount", "amount_set")
    return {
        "id": refund["id"], "created_at": refund["created_at"], "note": refund.get("note"),
        "transactions": [{k: t[k] for k in keep_tx if k in t} for t in refund.get("transactions", [])],
        "refund_line_items": [{k: line[k] for k in ("subtotal", "subtotal_set", "total_tax", "total_tax_set")
                               if k in line} for line in refund.get("refund_line_items", [])],
        "order_adjustments": refund.get("order_adjustments", []),
    }


def shopify_orders():
    orders = fixture("shopify/rest_orders_list.json")["orders"]
    order = shopify_order(orders[0])
    write("shopify_orders", "order", compact(order))
    write("shopify_orders", "orders_page", compact({"orders": [shopify_order(o) for o in orders[:2]]}))
    refund = shopify_refund(fixture("shopify/rest_order_refunds_list.json")["refunds"][0])
    write("shopify_orders", "refund", compact(refund))
    # A refund paid in another currency: its money comes from the line items and adjustments.
    foreign = dict(refund, transactions=[dict(t, currency="EUR") for t in refund["transactions"]],
                   order_adjustments=[{"amount": "-5.00", "tax_amount": "0.00", "kind": "shipping_refund"}])
    write("shopify_orders", "refund_foreign_currency", compact(foreign))
    guest = dict(order, customer=None, email="Guest@Example.com", currency="JPY", total_price="1500",
                 total_price_set={"shop_money": {"amount": "1500", "currency_code": "JPY"}},
                 landing_site="/?utm_source=tiktok&ttclid=abc", processed_at=None, cancelled_at="2008-01-11T00:00:00Z")
    write("shopify_orders", "order_guest_jpy", compact(guest))


def provider_responses():
    headers = fixture("facebook/throttle_headers.constructed.json")["headers"]
    for name, value in headers.items():
        write("provider_responses", name, value)
    write("provider_responses", "meta_error_throttled", compact({"error": {
        "message": "(#80000) There have been too many calls from this ad-account.", "type": "OAuthException",
        "code": 80000, "error_subcode": 2446079, "fbtrace_id": "AbCdEf", "is_transient": True}}))
    write("provider_responses", "meta_error_reduce_data", compact({"error": {
        "message": "Please reduce the amount of data you're asking for, then retry your request",
        "code": 1, "error_subcode": 99}}))
    write("provider_responses", "meta_error_token", compact({"error": {"message": "Error validating access token",
                                                                       "type": "OAuthException", "code": 190}}))
    write("provider_responses", "shopify_link",
          '<https://test-shop.myshopify.com/admin/api/2026-07/orders.json?limit=250&page_info=abc>; rel="previous", '
          '<https://test-shop.myshopify.com/admin/api/2026-07/orders.json?limit=250&page_info=def>; rel="next"')
    write("provider_responses", "shopify_call_limit", "36/40")
    write("provider_responses", "shopify_timestamp", "2026-11-20T14:03:12.123456789-05:00")
    write("provider_responses", "retry_after", "2.0")


def stripe_signature():
    vector = fixture("stripe/webhook_signature_test_vector.json")
    payload = (FIXTURES / "stripe" / vector["payload_file"]).read_text()
    for case in vector["cases"]:
        write("stripe_signature", case["name"], case["header"] + "\n" + payload)

    def signed(t, body):
        mac = hmac.new(STRIPE_SECRET.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
        return f"t={t},v1={mac}"

    small = compact({"id": "evt_1", "type": "invoice.paid", "data": {"object": {"id": "in_1"}}})
    write("stripe_signature", "small_valid", signed(NOW + 30, small) + "\n" + small)
    write("stripe_signature", "small_spaces_v0", signed(NOW, small).replace(",", ", ") + ",v0=abc\n" + small)
    write("stripe_signature", "own_t_in_window", f"{NOW + 100}\n{small}")
    write("stripe_signature", "own_t_far", f"-{NOW}\n{small}")


def shopify_hmac():
    def signature(body):
        return base64.b64encode(hmac.new(SHOPIFY_SECRET.encode(), body.encode(), hashlib.sha256).digest()).decode()

    order = compact(shopify_order(fixture("shopify/rest_orders_list.json")["orders"][0]))
    write("shopify_hmac", "order_valid", signature(order) + "\n" + order)
    write("shopify_hmac", "order_tampered", signature(order) + "\n" + order.replace("598.94", "0.01"))
    small = '{"id":1}'
    write("shopify_hmac", "small_valid", signature(small) + "\n" + small)
    write("shopify_hmac", "empty_body", signature("") + "\n")


def jwt():
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def token(header, claims, secret=JWT_SECRET):
        signing_input = b64(compact(header).encode()) + "." + b64(compact(claims).encode())
        mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
        return signing_input + "." + b64(mac)

    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": "usr_1", "acc": "acct_1", "role": "owner", "jti": "5f0c", "iss": "omnitrackiq",
              "aud": "omnitrackiq-api", "iat": NOW - 10, "exp": NOW + 86390}
    write("jwt", "valid", token(header, claims))
    write("jwt", "valid_aud_list", token({"alg": "HS256"}, dict(claims, aud=["x", "omnitrackiq-api"])))
    write("jwt", "expired", token(header, dict(claims, iat=NOW - 90000, exp=NOW - 3600)))
    write("jwt", "other_secret", token(header, claims, secret=JWT_SECRET + "x"))
    write("jwt", "alg_none", b64(b'{"alg":"none","typ":"JWT"}') + "." + b64(compact(claims).encode()) + ".")
    write("jwt", "alg_hs512", token({"alg": "HS512", "typ": "JWT"}, claims))
    write("jwt", "alg_rs256_kid", token({"alg": "RS256", "kid": "1", "jku": "https://evil.example/jwks"}, claims))
    write("jwt", "signed_mode", compact(header) + "\n" + compact(claims))
    write("jwt", "signed_mode_missing_claims", compact(header) + "\n" + compact({"iss": "omnitrackiq", "exp": NOW + 5}))
    write("jwt", "round_trip", "usr_2k9d\nacct_8f3k2j\nanalyst")


def main():
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    for make in (json_bodies, ingest, metrics_query, meta_insights, shopify_orders, provider_responses,
                 stripe_signature, shopify_hmac, jwt):
        make()
    for directory in sorted(CORPUS.iterdir()):
        files = list(directory.iterdir())
        print(f"{directory.name}: {len(files)} seeds, largest {max(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
