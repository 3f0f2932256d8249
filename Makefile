# OmniTrackIQ. A fresh Debian 12 machine needs only `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

MAKEFLAGS   += --no-print-directory
JOBS        ?= $(shell nproc)
BUILD_DIR   := build/release
ASAN_DIR    := build/asan
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: help deps build backend frontend run test test-backend test-asan test-frontend test-e2e test-interop test-deploy test-fuzz bench bench-metrics bench-ingest bench-sync bench-webhook bench-load bench-soak test-fault security-scan fmt lint n8n-role clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## Install missing Debian packages (as root) and the frontend's npm packages
	@scripts/install-deps.sh
	@scripts/frontend-deps.sh

build: deps backend frontend ## Build bin/omnitrackiq and the frontend's static export

backend:
	@cmake -S backend -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS)
	@mkdir -p bin && install -m 755 $(BUILD_DIR)/omnitrackiq bin/omnitrackiq

frontend:
	@cd frontend && npm run --silent build

run: build ## Build, start a private PostgreSQL under .data/ (unless DATABASE_URL is set), migrate, serve :8080
	@scripts/run-dev.sh

test: deps test-backend test-frontend test-e2e test-interop test-asan test-deploy test-fault ## Every test suite (starts its own PostgreSQL)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-5} backend/fuzz/run.sh
	@echo "make test: all suites passed"

test-backend: backend ## C++ unit, database, HTTP and fault tests (release build)
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

test-asan: ## The C++ suites again under AddressSanitizer + UBSan
	@cmake -S backend -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DOTQ_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_DIR) -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/backend/tests/lsan.supp \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j$(JOBS)
	@# The bad-input sweep over every route, against the sanitizer build of the server.
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/backend/tests/lsan.supp \
	  OTQ_BIN=$(ASAN_DIR)/omnitrackiq FAULT_SCENARIOS=bad_input scripts/fault.sh

test-frontend: ## Type check and unit tests of the frontend
	@cd frontend && npm run --silent check:api && npm run --silent typecheck && npm test --silent

test-e2e: backend frontend ## Headless Chromium against the real server and PostgreSQL
	@scripts/e2e.sh

test-interop: backend ## Tokens and bcrypt hashes against npm's jsonwebtoken and bcryptjs
	@scripts/interop.sh

test-deploy: backend ## Backup and restore on a throwaway PostgreSQL; deploy/runtime-packages.txt against ldd
	@scripts/check-runtime-packages.sh
	@scripts/test-backup-restore.sh

test-fuzz: ## libFuzzer (clang, ASan+UBSan) on the parsers and verifiers, 10 s each; FUZZ_SECONDS=600 for a long run
	@backend/fuzz/run.sh

bench: backend ## HTTP throughput of the real server (wrk); figures go to docs/benchmarks.md
	@bench/http_bench.sh

bench-metrics: backend ## Metrics endpoints on 1M seeded orders (wrk, 1 and 64 connections)
	@bench/metrics.sh

bench-ingest: backend ## Ingest API: 5,000-row batches of spend and orders (new, unchanged, changed)
	@bench/ingest.sh

bench-sync: backend ## Sync end to end: 100k Shopify orders and 1M Meta insight rows from the fakes
	@bench/sync.sh

bench-webhook: backend ## Stripe webhooks: signed events, repeats, sequential and 16 at once
	@bench/webhook.sh

bench-load: backend ## Mixed load (dashboard, orders, ingest, logins): 60 s at 64 connections on seeded data
	@scripts/load.sh

bench-soak: backend ## 30-minute soak under mixed load: memory, descriptors and PostgreSQL connections must stay flat
	@bench/soak.sh

test-fault: backend ## Fault suite: PostgreSQL restart, SIGTERM, slow/idle clients, bad input (~2 min)
	@scripts/fault.sh

security-scan: backend ## sqlmap (auth, metrics, ingest parameters) and wapiti against a throwaway server; reports in build/security-scan/
	@scripts/security-scan.sh

fmt: ## Format the C++ sources
	@clang-format -i $$(git ls-files 'backend/*.cpp' 'backend/*.hpp' 'bench/*.cpp')

lint: backend ## clang-tidy over backend/app (uses build/release/compile_commands.json)
	@clang-tidy -p $(BUILD_DIR) --quiet $$(git ls-files 'backend/app/*.cpp')

n8n-role: ## Create or update the least-privilege omnitrackiq_n8n PostgreSQL role (needs DATABASE_URL, N8N_DB_PASSWORD)
	@test -n "$${DATABASE_URL:-}" || { echo "set DATABASE_URL (as the database owner)"; exit 1; }
	@test -n "$${N8N_DB_PASSWORD:-}" || { echo "set N8N_DB_PASSWORD (the password n8n will use)"; exit 1; }
	@psql "$$DATABASE_URL" -q -v password="$$N8N_DB_PASSWORD" -f n8n-flows/omnitrackiq_n8n_role.sql
	@echo "n8n-role: omnitrackiq_n8n may INSERT/UPDATE ad_spend and orders"

clean: ## Remove build outputs (keeps .data/)
	@rm -rf build bin frontend/out frontend/.next
