#!/usr/bin/env bash
# Install Debian's chromium for govgraph's browser test (tests/test_site_browser.py drives it with Python
# Playwright through executable_path=/usr/bin/chromium; `playwright install` is never used, nothing is
# downloaded outside the Debian archive). Idempotent: does nothing when /usr/bin/chromium exists.
#
# Usage: scripts/install-browser.sh   (as root, or with sudo available, when chromium must be installed)
set -euo pipefail

CHROMIUM=/usr/bin/chromium

die() { echo "install-browser: ERROR: $*" >&2; exit 1; }
say() { echo "install-browser: $*"; }

if [[ ! -x "$CHROMIUM" ]]; then
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "must install chromium but am not root and there is no sudo"
        SUDO=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "must install chromium but there is no apt-get (not Debian?)"
    export DEBIAN_FRONTEND=noninteractive
    say "installing chromium with apt-get"
    # Try with the package lists there are; a fresh machine has none (or stale ones): update, then try again.
    if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
        say "apt-get install failed; running apt-get update and trying again"
        "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null \
            || die "apt-get install -y --no-install-recommends chromium failed"
    fi
fi
[[ -x "$CHROMIUM" ]] || die "$CHROMIUM is still missing after installing chromium"

# Smoke test: the browser starts headless and prints its version.
version=$("$CHROMIUM" --headless --no-sandbox --disable-gpu --version 2>/dev/null) \
    || die "$CHROMIUM does not start"
say "ok: $version at $CHROMIUM"
