#!/usr/bin/env bash
# Restores a dump written by scripts/backup.sh into the database at DATABASE_URL.
#
#   DATABASE_URL=... scripts/restore.sh [--force] DUMP
#
# The target should be a new, empty database owned by the role in DATABASE_URL (the role the
# servers will use: it owns the schema, as after `omnitrackiq migrate`). A database that already
# has tables, views, sequences or functions is refused; --force restores over it anyway, dropping
# and recreating the objects the dump contains (pg_restore --clean --if-exists); objects the dump
# does not contain stay. Everything runs in one transaction: a failed restore leaves the target
# as it was. Objects end up owned by the restoring role and grants are not restored (the dump's
# roles may not exist here): re-run `make n8n-role` if n8n writes to PostgreSQL directly.
# Stop the servers and workers that use the target first; run `omnitrackiq migrate` afterwards
# (it applies nothing when the dump came from the same release).
set -euo pipefail

force=""
dump=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=yes; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "restore: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) [ -z "$dump" ] || { echo "restore: one dump at a time" >&2; exit 2; }; dump=$1; shift ;;
  esac
done
[ -n "$dump" ] || { echo "restore: name the dump to restore (see --help)" >&2; exit 2; }
[ -n "${DATABASE_URL:-}" ] || { echo "restore: set DATABASE_URL" >&2; exit 2; }
[ -f "$dump" ] || { echo "restore: $dump is not a file" >&2; exit 2; }

# Readable before anything touches the target.
pg_restore --list "$dump" >/dev/null

# Anything the application or a person created, outside PostgreSQL's own schemas.
objects=$(psql "$DATABASE_URL" -X -qAt -v ON_ERROR_STOP=1 -c "
  SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
             AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
             AND n.nspname NOT LIKE 'pg_temp%')
       + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))")
clean=()
if [ "$objects" != 0 ]; then
  if [ -z "$force" ]; then
    echo "restore: the target database is not empty ($objects tables, sequences, views or functions)." >&2
    echo "restore: restore into a new database (CREATE DATABASE ... OWNER ...), or pass --force to" >&2
    echo "restore: drop and recreate the dump's objects in this one." >&2
    exit 1
  fi
  echo "restore: --force: replacing the dump's objects in a database with $objects objects" >&2
  clean=(--clean --if-exists)
fi

started=$(date +%s)
pg_restore --dbname="$DATABASE_URL" --single-transaction --exit-on-error --no-owner --no-acl "${clean[@]}" "$dump"
tables=$(psql "$DATABASE_URL" -X -qAt -v ON_ERROR_STOP=1 -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
echo "restore: $dump restored ($tables tables, $(( $(date +%s) - started )) s); now run \`omnitrackiq migrate\`" >&2
