-- wrk script: POST /api/v1/auth/login with the bench user's credentials (bcrypt-bound).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@example.com","password":"bench-Passphrase-2026"}'
