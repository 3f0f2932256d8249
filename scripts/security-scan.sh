#!/usr/bin/env bash
# Attack tools from Debian against a throwaway server and PostgreSQL (make security-scan):
#   sqlmap on every query and body parameter of the auth, metrics and ingest routes, signed in
#     (a session token for users' routes, an ingest API key for ingest);
#   wapiti over the app: the static export, every GET route of the API (with the session token).
# Expected: no injectable parameter, no wapiti finding outside the accepted list below, and no 5xx
# from the server. Reports, traffic and a summary: build/security-scan/ (summary.txt first).
# SQLMAP_LEVEL/SQLMAP_RISK (default 3/3) and SQLMAP_BCRYPT_LEVEL (default 2: the routes that run
# bcrypt on every request) trade depth for time; WAPITI_MAX_SCAN_SECONDS bounds wapiti (600).
set -euo pipefail
cd "$(dirname "$0")/.."

# sqlmap 1.7.2 and wapiti 3.0.4 on Debian 12; as root they are installed when missing.
scripts/install-deps.sh sqlmap wapiti

level=${SQLMAP_LEVEL:-3} risk=${SQLMAP_RISK:-3} bcrypt_level=${SQLMAP_BCRYPT_LEVEL:-2}
wapiti_seconds=${WAPITI_MAX_SCAN_SECONDS:-600}
out=build/security-scan
rm -rf "$out"
mkdir -p "$out/sqlmap" "$out/wapiti"
started=$(date +%s)

trap 'scripts/serve-test-instance.sh stop security-scan >/dev/null 2>&1 || true
      gzip -c build/security-scan-server.log >"$out/server.log.gz" 2>/dev/null || true' EXIT
# BCRYPT_COST=10 (the minimum) halves the time of the routes that hash; nothing else differs
# from a production configuration (no --dev: HSTS, Secure cookies, real secrets).
base=$(scripts/serve-test-instance.sh start security-scan BCRYPT_COST=10)
db=$(scripts/pg-cluster.sh url build/security-scan-pg)
demo_email=demo@omnitrackiq.test demo_password=$(openssl rand -hex 12)
DATABASE_URL=$db BCRYPT_COST=10 bin/omnitrackiq seed-demo --password "$demo_password" \
  --days 120 --orders 3000 --accounts 2 --orders-per-extra 300 >/dev/null
echo "security-scan: server $base, commit $(git rev-parse --short HEAD), sqlmap $(sqlmap --version 2>/dev/null | head -1)," \
  "level $level risk $risk (bcrypt routes level $bcrypt_level)"

api() {  # api METHOD PATH [BODY] [TOKEN] -> response body; fails on a non-2xx answer
  local args=(-sS --fail-with-body -X "$1" "$base$2" -H 'Content-Type: application/json')
  [ -n "${3:-}" ] && args+=(-d "$3")
  [ -n "${4:-}" ] && args+=(-H "Authorization: Bearer $4")
  curl "${args[@]}"
}
json() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if k.isdigit() else v[k]
print(v)' "$1"; }
psql_db() { psql "$db" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

token=$(api POST /api/v1/auth/login "{\"email\":\"$demo_email\",\"password\":\"$demo_password\"}" | json access_token)
ingest_key=$(api POST /api/v1/api-keys '{"name":"security-scan","role":"ingest"}' "$token" | json key)
other_account=$(api GET /api/v1/auth/me "" "$token" | json accounts.1.id)
# Two users of their own for the routes that change a password, so the demo session survives.
scan_password='scan-Passphrase-2026'
pw_token=$(api POST /api/v1/auth/signup "{\"email\":\"scan-password@example.test\",\"password\":\"$scan_password\",\"account_name\":\"Password scan\"}" | json access_token)
api POST /api/v1/auth/signup "{\"email\":\"scan-reset@example.test\",\"password\":\"$scan_password\",\"account_name\":\"Reset scan\"}" >/dev/null
reset_token=$(openssl rand -hex 22 | cut -c1-43)
reset_hash=$(printf %s "$reset_token" | sha256sum | cut -d' ' -f1)
psql_db -c "INSERT INTO password_resets (user_id, token_hash, expires_at)
  SELECT id, decode('$reset_hash', 'hex'), now() + interval '1 day' FROM users WHERE email = 'scan-reset@example.test'"
# Every request must meet the same server, whatever the ones before it did; sqlmap's requests do
# not come strictly one after the other around its hooks (its timing baseline runs in the middle
# of a payload's request), so the throwaway database itself keeps that state, with triggers:
# the login/signup/reset throttle counts nothing (a 429 would test the throttle, not the code
# under attack; --abort-code=429 proves it never answered), and the two scan users' passwords,
# password_changed_at (which ends older sessions) and reset token stay as they are.
psql_db <<'SQL'
CREATE FUNCTION scan_forget_attempt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER scan_forget_attempt BEFORE INSERT ON auth_attempts FOR EACH ROW EXECUTE FUNCTION scan_forget_attempt();
CREATE FUNCTION scan_keep_password() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.password_hash := OLD.password_hash; NEW.password_changed_at := OLD.password_changed_at; RETURN NEW; END $$;
CREATE TRIGGER scan_keep_password BEFORE UPDATE ON users FOR EACH ROW
  WHEN (OLD.email IN ('scan-password@example.test', 'scan-reset@example.test')) EXECUTE FUNCTION scan_keep_password();
CREATE FUNCTION scan_keep_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.user_id = (SELECT id FROM users WHERE email = 'scan-reset@example.test') THEN NEW.used_at := NULL; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER scan_keep_reset BEFORE UPDATE ON password_resets FOR EACH ROW EXECUTE FUNCTION scan_keep_reset();
SQL
from=$(date -u -d '60 days ago' +%F) to=$(date -u -d '1 day ago' +%F)
campaigns_query="from=$from&to=$to&platform=facebook_ads&sort=spend&order=desc&q=a&limit=2"
campaigns_cursor=$(api GET "/api/v1/metrics/campaigns?$campaigns_query" "" "$token" | json next_cursor)
# The orders search is an exact number, id or email: a returning customer's email, so that the
# filtered list has a second page and the cursor belongs to the same filter.
buyer=$(psql_db -c "SELECT lower(c.email) FROM customers c JOIN orders o ON o.account_id = c.account_id AND o.customer_id = c.id
  WHERE o.placed_at >= '$from' AND o.placed_at < '$to' AND NOT o.is_test AND o.cancelled_at IS NULL
    AND coalesce(lower(o.financial_status), 'paid') = 'paid' AND c.email IS NOT NULL
  GROUP BY 1 HAVING count(*) >= 3 ORDER BY count(*) DESC, 1 LIMIT 1")
orders_query="from=$from&to=$to&status=paid&q=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$buyer")&sort=total&order=desc"
orders_cursor=$(api GET "/api/v1/metrics/orders?$orders_query&limit=1" "" "$token" | json next_cursor)
[ "$campaigns_cursor" != None ] && [ "$orders_cursor" != None ] || { echo "security-scan: no second page to take a cursor from" >&2; exit 1; }

# sqlmap runs this (--eval) before every request: with OTQ_SCAN_FRESH_EMAIL, each signup gets a
# new address that keeps the payload following it. Only names sqlmap ignores may stay behind (it
# adds any new string variable to the request).
cat >"$out/sqlmap/eval.py" <<'EOF'
def _otq_scan_eval():
    import json, os, random
    prefix, email = os.environ.get("OTQ_SCAN_FRESH_EMAIL"), globals().get("email")
    if prefix and isinstance(email, str) and email.startswith(prefix):
        globals()["email"] = json.dumps("scan-%016x@" % random.getrandbits(64) + email[len(prefix):])[1:-1]
_otq_scan_eval()
EOF

# scan NAME LEVEL [sqlmap options]: one route, every parameter of its base request. A 429 would
# mean the throttle answered instead of the code under test, so it aborts the target (a failure).
scan() {
  local name=$1 lvl=$2
  shift 2
  local dir=$out/sqlmap/$name t0=$SECONDS
  mkdir -p "$dir"
  TERM=dumb sqlmap --batch --disable-coloring --dbms=PostgreSQL --level="$lvl" --risk="$risk" \
    --skip-waf --drop-set-cookie --timeout=30 --output-dir="$dir" -t "$dir/traffic.txt" \
    --eval="exec(open('$out/sqlmap/eval.py').read())" "$@" >"$dir/sqlmap.log" 2>&1 || true
  printf '  sqlmap %-24s %4d s, %6d requests\n' "$name" $((SECONDS - t0)) "$(cat "$dir/traffic.txt" 2>/dev/null | grep -c '^HTTP request \[#' || true)"
}
bearer=(-H "Authorization: Bearer $token")
json_body=(-H 'Content-Type: application/json')

echo "security-scan: sqlmap (reports in $out/sqlmap/)"
# Auth. Failed logins are 401, which sqlmap otherwise takes for missing credentials. Answers
# that carry a new token differ every time, so --code tells sqlmap what a true condition looks like.
scan auth-login "$bcrypt_level" -u "$base/api/v1/auth/login" "${json_body[@]}" \
  --data "{\"email\":\"$demo_email\",\"password\":\"$demo_password\"}" --ignore-code=401 --abort-code=429 --code=200
OTQ_SCAN_FRESH_EMAIL=scan-signup@ scan auth-signup "$bcrypt_level" \
  -u "$base/api/v1/auth/signup" "${json_body[@]}" --abort-code=429 --code=201 \
  --data '{"email":"scan-signup@example.test","password":"scan-Signup-Passphrase-1","account_name":"Scan Shop","name":"Scan User","timezone":"Europe/Berlin","currency":"EUR"}'
scan auth-password-reset "$level" -u "$base/api/v1/auth/password-reset" \
  "${json_body[@]}" --data "{\"email\":\"$demo_email\"}" --abort-code=429
scan auth-password-reset-confirm "$bcrypt_level" -u "$base/api/v1/auth/password-reset/confirm" "${json_body[@]}" \
  --data "{\"token\":\"$reset_token\",\"new_password\":\"scan-Reset-Passphrase-1\"}" --abort-code=429 \
  -p token,new_password  # sqlmap skips names containing "token" unless told
# A password change would end the scan's own session (the trigger above prevents it; a 401 aborts).
scan auth-password "$bcrypt_level" -u "$base/api/v1/auth/password" "${json_body[@]}" -H "Authorization: Bearer $pw_token" \
  --data "{\"current_password\":\"$scan_password\",\"new_password\":\"$scan_password\"}" --abort-code=401,429 --code=200
scan auth-switch-account "$level" -u "$base/api/v1/auth/switch-account" "${json_body[@]}" "${bearer[@]}" \
  --data "{\"account_id\":\"$other_account\"}" --abort-code=401,429 --code=200

# Metrics: every query parameter of openapi.json, with values that give a full answer (and a
# second page, so the cursor is a real one).
m=$base/api/v1/metrics
scan metrics-summary "$level" -u "$m/summary?from=$from&to=$to&compare=previous_period&platform=facebook_ads" "${bearer[@]}" --abort-code=401
scan metrics-timeseries "$level" "${bearer[@]}" --abort-code=401 \
  -u "$m/timeseries?from=$from&to=$to&interval=week&metrics=revenue,spend,roas,orders&group_by=platform&platform=facebook_ads"
scan metrics-campaigns "$level" -u "$m/campaigns?$campaigns_query&cursor=$campaigns_cursor" "${bearer[@]}" --abort-code=401
scan metrics-orders "$level" -u "$m/orders?$orders_query&limit=1&cursor=$orders_cursor" "${bearer[@]}" --abort-code=401
scan metrics-orders-csv "$level" -u "$m/orders.csv?$orders_query" "${bearer[@]}" --abort-code=401
scan metrics-channels "$level" -u "$m/channels?from=$from&to=$to" "${bearer[@]}" --abort-code=401

# Ingest, with the ingest key: a valid one-row batch carrying every field of the schemas.
ingest=(-H "Authorization: Bearer $ingest_key" "${json_body[@]}" --abort-code=401)
scan ingest-ad-spend "$level" -u "$base/api/v1/ingest/ad-spend" "${ingest[@]}" \
  --data "{\"rows\":[{\"platform\":\"meta\",\"ad_account_id\":\"act_scan\",\"campaign_id\":\"c_scan\",\"campaign_name\":\"Scan campaign\",\"date\":\"$to\",\"currency\":\"USD\",\"spend\":12345,\"impressions\":1000,\"clicks\":10,\"conversions\":1.5,\"conversion_value\":4500}]}"
orders_body="{\"rows\":[{\"platform\":\"shopify\",\"external_id\":\"scan-1\",\"order_number\":\"#S1\",\"placed_at\":\"${to}T10:00:00Z\",\"updated_at\":\"${to}T11:00:00Z\",\"currency\":\"USD\",\"total\":5000,\"subtotal\":4500,\"discounts\":100,\"shipping\":500,\"tax\":100,\"financial_status\":\"paid\",\"fulfillment_status\":\"fulfilled\",\"cancelled_at\":null,\"test\":false,\"customer\":{\"external_id\":\"cust-scan\",\"email\":\"buyer@example.com\",\"first_name\":\"Scan\",\"last_name\":\"Buyer\"},\"source_name\":\"web\",\"landing_site\":\"/?utm_source=facebook&utm_campaign=bf\",\"referring_site\":\"https://example.com/\",\"utm_source\":\"facebook\",\"utm_medium\":\"cpc\",\"utm_campaign\":\"bf\",\"utm_content\":\"ad1\",\"utm_term\":\"shoes\",\"fbclid\":\"fb1\",\"gclid\":\"g1\",\"ttclid\":\"t1\",\"presentment_currency\":\"EUR\",\"line_items_count\":2,\"refunds\":[{\"external_id\":\"r-scan\",\"created_at\":\"${to}T12:00:00Z\",\"amount\":500,\"reason\":\"damaged\"}]}]}"
scan ingest-orders "$level" -u "$base/api/v1/ingest/orders" "${ingest[@]}" --data "$orders_body"
# sqlmap names JSON parameters by key and tests a name once: the customer's and the refund's
# external_id (the order's comes first) get their own run, marked with sqlmap's '*'.
nested_body=${orders_body/\"cust-scan\"/\"cust-scan*\"}
scan ingest-orders-nested "$level" -u "$base/api/v1/ingest/orders" "${ingest[@]}" --data "${nested_body/\"r-scan\"/\"r-scan*\"}"

# wapiti 3.0.4 crawls HTML and attacks query strings and forms (no JSON bodies: sqlmap covers
# those). Start URLs: every GET route of the API with its parameters. Off: ssrf and xxe (they
# need wapiti's public endpoint), nikto and wapp (they download their databases), and
# brute_login_form (password guessing is the throttle's business, tested in C++).
echo "security-scan: wapiti (report in $out/wapiti/)"
starts=()
for path in "metrics/summary?from=$from&to=$to&compare=previous_period&platform=facebook_ads" \
  "metrics/timeseries?from=$from&to=$to&interval=week&metrics=revenue,spend,roas,orders&group_by=platform&platform=facebook_ads" \
  "metrics/campaigns?$campaigns_query" "metrics/orders?$orders_query&limit=5" "metrics/orders.csv?$orders_query" \
  "metrics/channels?from=$from&to=$to" metrics/definitions "audit-log?limit=5&action=auth.login" \
  "integrations/facebook_ads/callback?code=scan&state=scan" \
  "integrations/shopify/callback?code=scan&state=scan&shop=scan.myshopify.com&hmac=00" \
  accounts/current accounts/current/members api-keys auth/me billing/me billing/plans integrations \
  openapi.json health ready; do
  starts+=(-s "$base/api/v1/$path")
done
t0=$SECONDS
wapiti -u "$base/" --scope folder -m "all,-ssrf,-xxe,-nikto,-wapp,-brute_login_form" "${bearer[@]}" "${starts[@]}" \
  --max-scan-time "$wapiti_seconds" --max-attack-time 180 --flush-session --no-bugreport \
  --store-session "$out/wapiti/session" --store-config "$out/wapiti/config" \
  -f json -o "$out/wapiti/report.json" -v 1 >"$out/wapiti/wapiti.log" 2>&1 || true
printf '  wapiti %-24s %4d s\n' "$base/" $((SECONDS - t0))

echo "security-scan: summary ($out/summary.txt)"
status=0
python3 - "$out" build/security-scan-server.log $(($(date +%s) - started)) <<'EOF' || status=1
import glob, json, os, re, sys
out, server_log, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines, failures = [], []

# Wapiti findings accepted on purpose (exact category and text, on the root page only):
ACCEPTED = {
    ("HTTP Secure Headers", "X-XSS-Protection is not set"):
        "deprecated header: browsers removed the XSS auditor it switched on, and OWASP advises not to send it",
    ("Content Security Policy Configuration", 'CSP "script-src" value is not safe'):
        "'unsafe-inline' for Next.js' inline bootstrap scripts of the static export (Pipeline::decorate)",
}

lines.append("sqlmap: target, parameters tested, requests, HTTP codes other than 2xx/3xx")
injectable = 0
for d in sorted(glob.glob(os.path.join(out, "sqlmap", "*", ""))):
    name = os.path.basename(os.path.dirname(d))
    log = open(os.path.join(d, "sqlmap.log"), errors="replace").read()
    traffic_path = os.path.join(d, "traffic.txt")
    traffic = open(traffic_path, errors="replace").read() if os.path.exists(traffic_path) else ""
    params = re.findall(r"testing for SQL injection on (?:\(custom\) )?(?:\w+ )?parameter '([^']+)'", log)
    found = "identified the following injection point" in log or any(
        os.path.getsize(f) > 0 for f in glob.glob(os.path.join(d, "*", "log")))
    codes = re.search(r"HTTP error codes detected during run:\n(.*)", log)
    first = re.search(r"HTTP response \[#1\] \((\d+)", traffic)
    lines.append(f"  {name}: {len(params)} ({', '.join(params)}), {traffic.count('HTTP request [#')} requests, "
                 f"{codes.group(1).strip() if codes else 'none'}")
    if found:
        injectable += 1
        failures.append(f"sqlmap {name}: INJECTABLE, see {d}sqlmap.log")
    for crit in re.findall(r"\[CRITICAL\] (.*)", log):
        if crit.startswith("target URL content appears to be heavily dynamic"):  # sqlmap retries; a note
            lines.append(f"    note: {crit}")
        else:
            failures.append(f"sqlmap {name}: {crit}")
    if not params:
        failures.append(f"sqlmap {name}: no parameter was tested")
    if not first or not first.group(1).startswith("2"):
        failures.append(f"sqlmap {name}: the base request did not succeed ({first.group(1) if first else 'no response'})")

# 5xx answers and errors in the server's log, with the request that caused each (by request id).
server = [json.loads(l) for l in open(server_log, errors="replace") if l.startswith("{")]
errors5xx = [e for e in server if e.get("event") == "http_request" and int(e.get("status", 0)) >= 500]
errlines = [e for e in server if e.get("level") in ("error", "critical")]
traffics = {p: open(p, errors="replace").read() for p in glob.glob(os.path.join(out, "sqlmap", "*", "traffic.txt"))}
for e in errors5xx:
    rid, where = e.get("request_id", ""), "not in sqlmap's traffic (wapiti: see its report)"
    for p, t in traffics.items():
        i = t.find("X-Request-Id: " + rid) if rid else -1
        if i >= 0:
            start = t.rfind("HTTP request [#", 0, i)
            where = f"{p}:\n" + t[start:t.find("\n\n", start) + 1 if t.find("\n\n", start) > 0 else start + 2000][:4000]
            break
    failures.append(f"server {e.get('status')} on {e.get('method')} {e.get('route')} ({rid}); request {where}")
for e in errlines:
    failures.append("server log: " + json.dumps(e))
requests = sum(1 for e in server if e.get("event") == "http_request")
lines.append(f"server: {requests} requests answered, {len(errors5xx)} with 5xx, {len(errlines)} error lines in its log")

# Wapiti: every vulnerability category and every anomaly (500s, timeouts) counts.
report_path = os.path.join(out, "wapiti", "report.json")
if os.path.exists(report_path):
    report = json.load(open(report_path))
    vulns = [(c, v) for c, vs in report.get("vulnerabilities", {}).items() for v in vs]
    anomalies = [(c, v) for c, vs in report.get("anomalies", {}).items() for v in vs]
    accepted = [(c, v) for c, v in vulns if (c, v.get("info")) in ACCEPTED and v.get("path") == "/"]
    lines.append(f"wapiti: {len(vulns) - len(accepted)} vulnerabilities, {len(anomalies)} anomalies, "
                 f"{len(accepted)} accepted findings")
    for c, v in accepted:
        lines.append(f"  accepted: {c}: {v.get('info')} ({ACCEPTED[(c, v.get('info'))]})")
    for kind, items in (("vulnerability", [x for x in vulns if x not in accepted]), ("anomaly", anomalies)):
        for c, v in items:
            failures.append(f"wapiti {kind}: {c}: {v.get('info')}: {v.get('method')} {v.get('path')} "
                            f"parameter {v.get('parameter')!r}\n{v.get('http_request', '')}")
    crawled = re.search(r"Wapiti found (\d+) URLs and forms", open(os.path.join(out, "wapiti", "wapiti.log")).read())
    lines.append(f"  {crawled.group(1) if crawled else '?'} URLs and forms crawled and attacked")
else:
    failures.append("wapiti: no report (see wapiti/wapiti.log)")

lines.append(f"sqlmap: {injectable} injectable targets")
lines.append(f"total time: {seconds // 60} min {seconds % 60} s")
lines.append("RESULT: " + ("FAILED" if failures else "passed, 0 findings"))
lines += ["", *failures] if failures else []
open(os.path.join(out, "summary.txt"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
sys.exit(1 if failures else 0)
EOF
# Traffic logs are large and mostly repetitive.
gzip -f "$out"/sqlmap/*/traffic.txt
exit $status
