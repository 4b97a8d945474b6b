#!/usr/bin/env bash
# Makes sure a headless Chromium is installed for the HTML report's browser test: Debian's
# own package (puppeteer-core drives it; nothing downloads a browser). On Debian as root it
# installs it; elsewhere it says what to do and exits 0, and the browser test is skipped.
set -euo pipefail

log() { printf '[ensure-browser] %s\n' "$*" >&2; }
browser=${SWE_HARNESS_CHROMIUM:-/usr/bin/chromium}

if [ -x "$browser" ]; then
  log "chromium at $browser"
  exit 0
fi
if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  log "no chromium at $browser; install your distribution's chromium (or set SWE_HARNESS_CHROMIUM) to run the browser test"
  exit 0
fi
log "installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
log "chromium at $(command -v chromium)"
