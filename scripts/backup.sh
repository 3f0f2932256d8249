#!/usr/bin/env bash
# Dumps the database at DATABASE_URL (pg_dump custom format) into a directory, checks the dump
# with `pg_restore --list`, and keeps the newest N dumps there.
#
#   DATABASE_URL=... scripts/backup.sh --dir DIR [--keep N]
#
# DIR may come from BACKUP_DIR instead; N defaults to BACKUP_KEEP, else 14. A dump is written as
# omnitrackiq-YYYYMMDDTHHMMSSZ.dump.partial and renamed only once pg_restore can read its table
# of contents, so a half-written file never counts as a backup and never pushes a good one out.
# Prints the dump's path. pg_dump must be PostgreSQL 15's or newer (postgresql-client-15).
# The URL is on pg_dump's command line: on a shared host keep the password in ~/.pgpass or
# PGPASSWORD rather than in DATABASE_URL (the systemd unit hides its processes from other users).
# Restore with scripts/restore.sh; docs/deploy.md has the schedule and the restore drill.
set -euo pipefail

dir=${BACKUP_DIR:-}
keep=${BACKUP_KEEP:-14}
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=${2:?--dir needs a directory}; shift 2 ;;
    --keep) keep=${2:?--keep needs a number}; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "backup: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "${DATABASE_URL:-}" ] || { echo "backup: set DATABASE_URL" >&2; exit 2; }
[ -n "$dir" ] || { echo "backup: name the directory: --dir DIR or BACKUP_DIR" >&2; exit 2; }
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "backup: --keep must be a positive number, not '$keep'" >&2; exit 2; }

mkdir -p "$dir"
name=omnitrackiq-$(date -u +%Y%m%dT%H%M%SZ).dump
final=$dir/$name
partial=$final.partial
[ ! -e "$final" ] || { echo "backup: $final already exists (two backups in one second?)" >&2; exit 1; }
trap 'rm -f "$partial"' EXIT

started=$(date +%s)
# Custom format: compressed, restorable table by table, and readable by pg_restore --list.
# Owners and grants are kept in the dump; restore.sh decides whether to apply them.
(umask 077 && pg_dump --dbname="$DATABASE_URL" --format=custom --compress=6 --file="$partial")
toc=$(pg_restore --list "$partial")  # fails (and so does the backup) when the file is unreadable
entries=$(grep -c '^[0-9]' <<<"$toc" || true)
tables=$(grep -c ' TABLE DATA ' <<<"$toc" || true)
if [ "$entries" -eq 0 ] || [ "$tables" -eq 0 ]; then
  echo "backup: $partial has no tables in its table of contents; kept nothing" >&2
  exit 1
fi
mv "$partial" "$final"
trap - EXIT

# Retention: names sort by time, so everything before the newest N goes.
mapfile -t dumps < <(find "$dir" -maxdepth 1 -type f -name 'omnitrackiq-*.dump' -printf '%f\n' | sort)
if [ "${#dumps[@]}" -gt "$keep" ]; then
  for old in "${dumps[@]:0:${#dumps[@]}-keep}"; do rm -f "$dir/$old"; done
fi

size=$(du -h "$final" | cut -f1)
echo "backup: $final ($size, $tables tables, $entries entries, $(( $(date +%s) - started )) s; keeping the newest $keep)" >&2
echo "$final"
