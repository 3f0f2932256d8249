#!/usr/bin/env python3
"""Ingest API throughput on loopback: batches of 5,000 rows, first as inserts, then the same
batch again (unchanged: the idempotent path n8n hits every hour), then changed (updates).
Usage: bench/ingest.sh (starts the server); prints per-batch latencies and rows per second."""
import json, os, random, statistics, sys, time, urllib.request

BASE = os.environ["OTQ_BASE_URL"]
BATCHES = int(os.environ.get("BENCH_BATCHES", "20"))
ROWS = 5000


def call(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=300) as res:
        payload = json.loads(res.read())
    return payload, time.perf_counter() - started, len(data or b"")


if os.environ.get("BENCH_LOG_SLOW"):  # diagnosis: slow statements and their plans in the PostgreSQL log
    import subprocess
    settings = ["log_min_messages = log", "log_min_duration_statement = 500",
                "session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 500",
                "auto_explain.log_nested_statements = on"]
    args = ["psql", os.environ["PG_ADMIN_URL"], "-q", "-c", "LOAD 'auto_explain'"]
    for setting in settings:
        args += ["-c", "ALTER SYSTEM SET " + setting]
    subprocess.run(args, check=True)
    subprocess.run(["psql", os.environ["PG_ADMIN_URL"], "-qc", "SELECT pg_reload_conf()"], check=True, capture_output=True)
session, _, _ = call("POST", "/api/v1/auth/signup",
                     {"email": "ingest-bench@example.com", "password": "bench-Passphrase-2026", "account_name": "Bench"})
key = call("POST", "/api/v1/api-keys", {"name": "bench", "role": "ingest"}, session["access_token"])[0]["key"]
rng = random.Random(7)


def spend_batch(b, bump=0):
    rows = []
    for i in range(ROWS):
        n = b * ROWS + i
        day = 1 + n % 365
        rows.append({"platform": ["meta", "google_ads", "tiktok_ads"][n % 3], "ad_account_id": f"act_{n % 7}",
                     "campaign_id": f"c{n // 365}", "campaign_name": f"Campaign {n // 365}",
                     "date": time.strftime("%Y-%m-%d", time.gmtime(1735689600 + day * 86400)), "currency": "USD",
                     "spend": 1000 + (n * 37) % 90000 + bump, "impressions": 10000 + n % 5000, "clicks": 100 + n % 300,
                     "conversions": n % 9, "conversion_value": (n % 9) * 4500})
    return {"rows": rows}


def order_batch(b, bump=0):
    rows = []
    for i in range(ROWS):
        n = b * ROWS + i
        placed = 1735689600 + (n * 97) % (365 * 86400)
        row = {"platform": "shopify", "external_id": str(5_600_000_000_000 + n), "order_number": f"#{10000 + n}",
               "placed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(placed)),
               "currency": "USD", "total": 2000 + (n * 53) % 30000 + bump, "subtotal": 1800, "shipping": 200,
               "financial_status": "paid", "test": False,
               "customer": {"external_id": f"cust-{n % 40000}", "email": f"buyer{n % 40000}@example.com"},
               "landing_site": ["/?utm_source=facebook&utm_campaign=bf", "/?utm_source=google&utm_medium=cpc", "/"][n % 3]}
        if n % 10 == 0:
            row["refunds"] = [{"external_id": f"r{n}", "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                  time.gmtime(placed + 86400 * 3)),
                               "amount": 500}]
        rows.append(row)
    return {"rows": rows}


def run(label, path, make):
    times, sizes, counts = [], [], {}
    for b in range(BATCHES):
        body = make(b)
        result, seconds, size = call("POST", path, body, key)
        assert result["accepted"] == ROWS and not result["rejected"], result
        times.append(seconds)
        sizes.append(size)
        for k in ("inserted", "updated", "unchanged"):
            counts[k] = counts.get(k, 0) + result[k]
    if os.environ.get("BENCH_VERBOSE"): print(label, [round(t * 1000) for t in times])
    slowest = max(range(len(times)), key=lambda i: times[i])
    spread = f"slowest: batch {slowest + 1} ({times[slowest] * 1000:.0f} ms)"
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"{label:<34} {BATCHES} x {ROWS} rows ({statistics.mean(sizes) / 1e6:.1f} MB): "
          f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, {ROWS / p50:,.0f} rows/s "
          f"(inserted {counts['inserted']}, updated {counts['updated']}, unchanged {counts['unchanged']}; {spread})")


run("ad-spend, new rows", "/api/v1/ingest/ad-spend", spend_batch)
run("ad-spend, same batch again", "/api/v1/ingest/ad-spend", spend_batch)
run("ad-spend, every row changed", "/api/v1/ingest/ad-spend", lambda b: spend_batch(b, 1))
run("orders, new rows", "/api/v1/ingest/orders", order_batch)
run("orders, same batch again", "/api/v1/ingest/orders", order_batch)
if os.environ.get("BENCH_ANALYZE_FIRST"):
    import subprocess
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "ANALYZE"], check=True)
run("orders, every row changed", "/api/v1/ingest/orders", lambda b: order_batch(b, 1))
