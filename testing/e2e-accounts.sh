#!/bin/sh
# The e2e suite's accounts, made the way an operator (or a QA team) would: one per role, in the default
# workspace, with the password on stdin. Run after db:prepare, before the server starts.
set -eu
for role in owner admin viewer; do
  printf '%s\n' "$E2E_PASSWORD" |
    npx tsx --conditions=react-server db/users-cli.ts create --email "$role@e2e.test" --name "E2E $role" --role "$role"
done
