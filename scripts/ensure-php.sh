#!/bin/sh
# Make sure a PHP CLI is available for the oro-bundle checks (test/oro-bundle.test.ts runs `php -l`).
#
# - `php` already on PATH: print its version and exit 0.
# - missing and running as root (CI on a fresh Debian/Ubuntu machine): install Debian's php-cli
#   with apt-get, then verify it runs.
# - missing and not root, or no apt-get: print what to do and exit non-zero.
#
# Usage: sh scripts/ensure-php.sh
set -eu

if command -v php >/dev/null 2>&1; then
  php -r 'echo "php ", PHP_VERSION, "\n";'
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-php: 'php' is not installed and this user is not root, so it cannot be installed here." >&2
  echo "ensure-php: install a PHP CLI (8.2+), e.g. 'sudo apt-get install -y php-cli' on Debian/Ubuntu, then re-run." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-php: 'php' is not installed and apt-get is not available on this machine." >&2
  echo "ensure-php: install a PHP CLI (8.2+) with the system package manager, then re-run." >&2
  exit 1
fi

echo "ensure-php: installing php-cli with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq php-cli >/dev/null

if ! command -v php >/dev/null 2>&1; then
  echo "ensure-php: apt-get finished but 'php' is still not on PATH." >&2
  exit 1
fi
php -r 'echo "php ", PHP_VERSION, "\n";'
