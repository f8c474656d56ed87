#!/usr/bin/env bash
# Validates deployment files offline (validate.mjs says how); prints {"objects": [...], "problems": [...]} as JSON.
# Usage: ./validate.sh k8s FILE | ./validate.sh compose FILE
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
exec node validate.mjs "$@"
