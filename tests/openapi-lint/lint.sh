#!/usr/bin/env bash
# Lints OpenAPI documents with Spectral and the OWASP API Security ruleset (.spectral.mjs); prints Spectral's findings as JSON.
# Usage: ./lint.sh <document.json>...
set -euo pipefail
cd "$(dirname "$0")"
# node_modules is kept between runs; npm ci only when the lock file changed. Test projects run in parallel, so one installs at a time.
exec 9>.install.lock
flock 9
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.lock-used; then
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json node_modules/.lock-used
fi
flock -u 9
# Spectral exits 1 when it finds errors; the caller reads the findings, so only a failure to lint is a failure here.
status=0
node node_modules/@stoplight/spectral-cli/dist/index.js lint --ruleset .spectral.mjs --format json --quiet "$@" || status=$?
[ "$status" -le 1 ] || exit "$status"
