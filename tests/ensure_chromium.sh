#!/usr/bin/env bash
# Find Debian's chromium for the browser tests, or install it the way the machine can.
# Never fails: without a browser the browser tests skip and say why.
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; the browser tests will skip"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; the browser tests will skip"
else
  echo "warning: chromium not found and cannot be installed here (needs root or sudo for apt-get);" \
       "the browser tests will skip. Install it with: sudo apt-get install chromium"
fi
exit 0
