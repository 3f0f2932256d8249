#!/usr/bin/env bash
# Checks deploy/runtime-packages.txt against the binary: every library `ldd` resolves must belong
# to a Debian package that the list names or that apt installs with them (their Depends and
# Pre-Depends, followed to the end), and every library the binary links directly (readelf -d,
# NEEDED) must belong to a package the list names itself. So a new `target_link_libraries` that
# nobody added to the list fails here, not in a container at start-up.
#
#   scripts/check-runtime-packages.sh [BINARY]    (default bin/omnitrackiq; RUNTIME_PACKAGES=FILE
#                                                  checks another list)
#
# Runs on the build machine (Debian 12 with the build dependencies, where the libraries and dpkg's
# records of them exist); the Dockerfile runs it in its build stage.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-bin/omnitrackiq}
list=${RUNTIME_PACKAGES:-deploy/runtime-packages.txt}
[ -x "$binary" ] || { echo "check-runtime-packages: $binary not found (make backend)" >&2; exit 2; }

mapfile -t listed < <(sed 's/#.*//' "$list" | tr -s ' \t' '\n' | sed '/^$/d')
[ "${#listed[@]}" -gt 0 ] || { echo "check-runtime-packages: $list lists nothing" >&2; exit 1; }
declare -A in_list=()
for p in "${listed[@]}"; do in_list[$p]=1; done

status=0
problem() { echo "check-runtime-packages: $*" >&2; status=1; }

# Installed packages, their dependencies and what they provide, from dpkg's records (no network).
declare -A installed=() depends=() providers=()
while IFS=$'\t' read -r pkg state deps provides; do
  [ "$state" = "install ok installed" ] || continue
  installed[$pkg]=1
  depends[$pkg]=$deps
  IFS=',' read -r -a provided <<<"$provides"
  for v in "${provided[@]}"; do
    v=${v%%(*}; v=${v%%:*}; v=${v// /}
    [ -n "$v" ] && providers[$v]="${providers[$v]:-} $pkg"
  done
done < <(dpkg-query -W -f='${Package}\t${Status}\t${Depends}, ${Pre-Depends}\t${Provides}\n')

for p in "${listed[@]}"; do
  if [ -z "${installed[$p]:-}" ]; then
    # Not installed on this machine (curl on a build host, say): it adds nothing to the closure
    # below, but a name apt does not know is a typo the Docker build would trip over.
    if ! apt-cache show "$p" >/dev/null 2>&1; then
      problem "$list names '$p', which is neither installed nor known to apt"
    fi
  fi
done

# The closure: the listed packages and everything they depend on, alternatives and virtual
# packages included when installed.
declare -A closure=()
queue=("${listed[@]}")
while [ "${#queue[@]}" -gt 0 ]; do
  p=${queue[0]}
  queue=("${queue[@]:1}")
  [ -z "${closure[$p]:-}" ] || continue
  closure[$p]=1
  [ -n "${installed[$p]:-}" ] || continue
  IFS=',|' read -r -a alternatives <<<"${depends[$p]}"
  for d in "${alternatives[@]}"; do
    d=${d%%(*}; d=${d%%:*}; d=${d// /}
    [ -n "$d" ] || continue
    if [ -n "${installed[$d]:-}" ]; then
      queue+=("$d")
    elif [ -n "${providers[$d]:-}" ]; then
      read -r -a provs <<<"${providers[$d]}"
      queue+=("${provs[@]}")
    fi
  done
done

ldd_out=$(ldd "$binary")
if grep -q 'not found' <<<"$ldd_out"; then
  problem "ldd cannot resolve: $(grep 'not found' <<<"$ldd_out" | awk '{print $1}' | xargs)"
fi
# The package owning each library. dpkg may have recorded a path with or without /usr (merged
# /usr) and the symlink or the file it points to, so every variant is asked, in one dpkg -S call.
variants() {
  local path=$1 real
  real=$(readlink -f "$path")
  printf '%s\n' "$path" "$real" "/usr$path" "${path#/usr}" "/usr$real" "${real#/usr}" \
    "$(dirname "$real")/$(basename "$path")" "$(dirname "${real#/usr}")/$(basename "$path")"
}
libs=$(awk '/=>/ && $3 ~ /^\// {print $1, $3} $1 ~ /^\/.*ld-linux/ {print $1, $1}' <<<"$ldd_out")
declare -A owner_of=()
mapfile -t all_variants < <(while read -r _ path; do variants "$path"; done <<<"$libs" | sort -u)
while IFS= read -r line; do
  pkg=${line%%: /*}
  owner_of[${line#*: }]=${pkg%%[:,]*}
done < <(dpkg -S "${all_variants[@]}" 2>/dev/null || true)
owner() {
  local v
  while read -r v; do
    [ -n "${owner_of[$v]:-}" ] && { echo "${owner_of[$v]}"; return 0; }
  done < <(variants "$1")
  return 1
}

declare -A needed=()
while read -r soname; do needed[$soname]=1; done < <(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')

checked=0
while read -r soname path; do
  [ -n "$path" ] || continue
  checked=$((checked + 1))
  if ! pkg=$(owner "$path"); then
    problem "$soname ($path) belongs to no Debian package: a library from outside apt cannot ship this way"
    continue
  fi
  if [ -n "${needed[$soname]:-}" ] && [ -z "${in_list[$pkg]:-}" ]; then
    problem "the binary links $soname directly; add its package '$pkg' to $list"
  elif [ -z "${closure[$pkg]:-}" ]; then
    problem "$soname comes from '$pkg', which no package in $list brings in; add it to $list"
  fi
done <<<"$libs"

[ "$checked" -gt 0 ] || problem "ldd listed no libraries for $binary"
if [ "$status" = 0 ]; then
  echo "check-runtime-packages: the ${#listed[@]} packages in $list cover all $checked libraries ldd resolves" \
    "(${#needed[@]} linked directly, each listed by name)"
fi
exit $status
