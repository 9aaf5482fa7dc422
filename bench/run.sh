#!/usr/bin/env bash
# The benchmark, in one command: paystack-rs side by side with the pure-Python Paystack SDKs.
#
#   bash bench/run.sh            full run (about 12 minutes): bench/results/latest.{md,json}, chart.png
#   bash bench/run.sh --short    a few seconds per workload (CI): bench/results/raw/short/
#   bash bench/run.sh --help     every option (--libs, --workloads, --runs, --duration, ...)
#
# Installs what it needs: nginx-light and wrk (apt, when missing and root), the bench's own venv
# (bench/.venv: the pinned peers, matplotlib) and paystack-rs from this checkout, as a release wheel
# (maturin reuses target/). BENCH_NO_BUILD=1 keeps the paystack-rs already in bench/.venv.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
VENV="$BENCH/.venv"
PYTHON="${PYTHON:-python3}"
step() { printf '==> %s\n' "$*" >&2; }

case " $* " in *" -h "* | *" --help "*)
  if [ -x "$VENV/bin/python" ]; then cd "$BENCH" && exec "$VENV/bin/python" -m paybench --help; fi ;;
esac

# 1. nginx (the server) and wrk (the limit).
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing ${missing[*]} (apt)"
    # Keep the package's own nginx service from starting on port 80 (as container images do):
    # the benchmark starts its own nginx on a free loopback port.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy"
      chmod +x "$policy"
      trap 'rm -f "$policy"' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$(trap -p EXIT)" ]; then rm -f "$policy"; trap - EXIT; fi
  else
    echo "bench: needs ${missing[*]} (apt-get install nginx-light wrk), and is not root to install them" >&2
    exit 1
  fi
fi

# 2. The bench's venv with the pinned peers.
if [ ! -x "$VENV/bin/python" ]; then
  step "creating bench/.venv"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
stamp="$VENV/.requirements.installed"
if [ ! -f "$stamp" ] || ! cmp -s "$BENCH/requirements.txt" "$stamp"; then
  step "installing bench/requirements.txt"
  "$VENV/bin/python" -m pip install --quiet -r "$BENCH/requirements.txt"
  cp "$BENCH/requirements.txt" "$stamp"
fi

# 3. paystack-rs from this checkout, as a release wheel.
if [ "${BENCH_NO_BUILD:-0}" = 1 ] && "$VENV/bin/python" -c "import paystack_rs" 2>/dev/null; then
  step "BENCH_NO_BUILD=1: using the paystack-rs already in bench/.venv"
else
  if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  command -v cargo >/dev/null 2>&1 || { echo "bench: building paystack-rs needs the Rust toolchain" >&2; exit 1; }
  # The repo's .venv (scripts/env.sh) has maturin; building for its interpreter keeps the build
  # identical to `maturin develop --release`, so target/ is reused instead of rebuilt.
  if [ -x "$ROOT/.venv/bin/maturin" ] && [ -x "$ROOT/.venv/bin/python" ]; then
    maturin="$ROOT/.venv/bin/maturin"
    interpreter="$ROOT/.venv/bin/python"
  else
    "$VENV/bin/python" -m pip install --quiet "maturin>=1.9.4,<2"
    maturin="$VENV/bin/maturin"
    interpreter="$VENV/bin/python"
  fi
  wheels="$VENV/wheelhouse"
  rm -rf "$wheels"
  build() { (cd "$ROOT" && "$maturin" build --release --quiet --interpreter "$interpreter" --out "$wheels") >&2; }
  step "building paystack-rs (release wheel)"
  # Once more on failure: another build sharing target/ (a concurrent `maturin develop`) can
  # replace target/maturin/ under this one.
  build || { sleep 5 && step "building paystack-rs again" && build; }
  "$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$wheels"/paystack_rs-*.whl
fi

# 4. The benchmark itself (a relative --out is taken from the folder run.sh was called in).
export PAYBENCH_CALLER_DIR="$PWD"
cd "$BENCH"
exec "$VENV/bin/python" -m paybench "$@"
