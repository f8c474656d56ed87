#!/usr/bin/env bash
# Generates a typed OData v4 client from a live feed's $metadata with odata2ts, compiles feed-client.ts against it (a renamed
# or retyped property breaks the build) and runs its typed queries against the feed.
# Usage: ODATA_URL=http://host:port/api/assets/odata TOKEN=<staff token> SCHOOL_ID=<guid> SERIAL_PREFIX=<prefix> ./run.sh
set -euo pipefail
cd "$(dirname "$0")"
: "${ODATA_URL:?}" "${TOKEN:?}" "${SCHOOL_ID:?}" "${SERIAL_PREFIX:?}"
# Debian 12 and Ubuntu 24.04 ship node 18; the client uses its built-in fetch.
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] || { echo "node $(node --version) is too old: the OData client needs node 18 or newer" >&2; exit 1; }
# node_modules is kept between runs; npm ci only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.lock-used; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lock-used
fi
rm -rf generated feed-client.js && mkdir -p generated
# The feed needs a token, so $metadata is fetched here and the generator reads the file.
curl -sf -H "Authorization: Bearer $TOKEN" "$ODATA_URL/\$metadata" -o generated/metadata.xml
npx --no-install odata2ts --source generated/metadata.xml --output generated --mode all --emit-mode js_dts \
  --service-name Assets --tsconfig tsconfig.gen.json > generated/odata2ts.log
npx --no-install tsc -p tsconfig.json
node feed-client.js
