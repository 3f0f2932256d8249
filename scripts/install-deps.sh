#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test OmniTrackIQ; with
# arguments, those packages instead (scripts/security-scan.sh: sqlmap wapiti).
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  librestinio-dev libasio-dev libfmt-dev libhttp-parser-dev
  nlohmann-json3-dev libsimdjson-dev libpqxx-dev libpq-dev postgresql-15 postgresql-client-15
  libspdlog-dev libcli11-dev libssl-dev libcrypt-dev
  libjwt-dev libdata-password-zxcvbn-perl libcurl4-openssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libcpp-httplib-dev libbenchmark-dev
  clang libclang-rt-14-dev
  nodejs npm chromium
)
[ $# -eq 0 ] || packages=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The machine image may ship its own Node.js; accept it when it is recent enough for Next.js.
if command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  missing=("${missing[@]/nodejs}")
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages. Run as root:" >&2
  echo "  apt-get update && $cmd" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$cmd
