#!/bin/sh
# Make sure a PHP CLI and PHPUnit are available for the oro-bundle checks
# (test/oro-bundle.test.ts runs `php -l` and the bundle's PHPUnit suite, oro-bundle/Tests/).
#
# - `php` and `phpunit` already on PATH: print their versions and exit 0.
# - one missing and running as root (CI on a fresh Debian/Ubuntu machine): install Debian's
#   php-cli / phpunit with apt-get, then verify they run.
# - missing and not root, or no apt-get: print what to do and exit non-zero.
#
# Usage: sh scripts/ensure-php.sh
set -eu

missing=""
command -v php >/dev/null 2>&1 || missing="php-cli"
command -v phpunit >/dev/null 2>&1 || missing="$missing phpunit"

if [ -z "$missing" ]; then
  php -r 'echo "php ", PHP_VERSION, "\n";'
  phpunit --version | head -n 1
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-php: missing Debian package(s):$missing, and this user is not root, so they cannot be installed here." >&2
  echo "ensure-php: install them, e.g. 'sudo apt-get install -y$missing' on Debian/Ubuntu (PHP 8.2+, PHPUnit 9+), then re-run." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-php: missing:$missing, and apt-get is not available on this machine." >&2
  echo "ensure-php: install a PHP CLI (8.2+) and PHPUnit (9+) with the system package manager, then re-run." >&2
  exit 1
fi

echo "ensure-php: installing$missing with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq $missing >/dev/null

for tool in php phpunit; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ensure-php: apt-get finished but '$tool' is still not on PATH." >&2
    exit 1
  fi
done
php -r 'echo "php ", PHP_VERSION, "\n";'
phpunit --version | head -n 1
