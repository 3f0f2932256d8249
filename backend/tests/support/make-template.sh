#!/usr/bin/env bash
# Creates the otq_template database in the test cluster and migrates it with the real binary.
# Each test then clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
set -euo pipefail
repo=$1 data=$2 binary=$3
admin=$("$repo/scripts/pg-cluster.sh" url "$data" postgres | sed 's/user=omnitrackiq/user=postgres/')
psql "$admin" -v ON_ERROR_STOP=1 -qAt -c "DROP DATABASE IF EXISTS otq_template" \
  -c "CREATE DATABASE otq_template OWNER omnitrackiq"
DATABASE_URL=$("$repo/scripts/pg-cluster.sh" url "$data" otq_template) "$binary" migrate
