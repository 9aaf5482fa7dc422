#!/usr/bin/env bash
# Installs the Debian packages whose programs are missing, idempotently:
#   bash scripts/apt-install.sh nginx:nginx-light wrk:wrk     (program:package ...)
# Needs root (CI and the project's machines run as root); otherwise it names what is missing.
set -euo pipefail
missing=()
for pair in "$@"; do
  program="${pair%%:*}"
  package="${pair#*:}"
  command -v "$program" >/dev/null 2>&1 || [ -x "/usr/sbin/$program" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "needs ${missing[*]} (apt-get install --no-install-recommends ${missing[*]}), and is not root to install them" >&2
  exit 1
fi
echo "==> installing ${missing[*]} (apt)" >&2
# Keep a package's own service (nginx on port 80) from starting, as container images do: the
# tests and the benchmark start their own servers on free loopback ports.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
