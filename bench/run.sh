#!/usr/bin/env bash
# The benchmark, in one command: paystack-rs side by side with the pure-Python Paystack SDKs.
#
#   bash bench/run.sh            full run (about 12 minutes): bench/results/latest.{md,json}, chart.png
#   bash bench/run.sh --short    a few seconds per workload (CI): bench/results/raw/short/
#   bash bench/run.sh --help     every option (--libs, --workloads, --runs, --duration, ...)
#   BENCH_ONLY_PAGES=1 bash bench/run.sh    only the "every page" benchmarks (paybench/pages.py)
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
bash "$ROOT/scripts/apt-install.sh" nginx:nginx-light wrk:wrk || { echo "bench: cannot run without them" >&2; exit 1; }

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

# 4. The benchmarks: the per-call workloads against nginx, then "every page" against the sandbox
#    (paybench/pages.py; --short mirrored; BENCH_SKIP_PAGES=1 skips it, BENCH_ONLY_PAGES=1 runs it
#    alone). A relative --out is taken from the folder run.sh was called in.
export PAYBENCH_CALLER_DIR="$PWD"
cd "$BENCH"
status=0
if [ "${BENCH_ONLY_PAGES:-0}" != 1 ]; then
  "$VENV/bin/python" -m paybench "$@" || status=$?
fi
if [ "${BENCH_SKIP_PAGES:-0}" != 1 ]; then
  pages_args=()
  case " $* " in *" --short "*) pages_args+=(--short) ;; esac
  step "every page: a month of batches, a month into a DataFrame (against the sandbox)"
  "$VENV/bin/python" -m paybench.pages "${pages_args[@]}" || status=$?
  step "a quarter of payouts: reconcile.payouts against the SDKs' settlement loops (against the sandbox)"
  "$VENV/bin/python" -m paybench.payouts "${pages_args[@]}" || status=$?
fi
# 5. The rate limit shared through Redis: its cost per call and 8 processes against the quota's bound
#    (bench/redis_limit_cost.py; BENCH_SKIP_REDIS=1 skips it).
if [ "${BENCH_SKIP_REDIS:-0}" != 1 ] && [ "${BENCH_ONLY_PAGES:-0}" != 1 ]; then
  bash "$ROOT/scripts/apt-install.sh" redis-server:redis-server redis-cli:redis-tools || status=$?
  redis_args=()
  case " $* " in *" --short "*) redis_args+=(--short) ;; esac
  step "the shared rate limit: cost per call with Redis on loopback, 8 processes against the quota"
  "$VENV/bin/python" "$BENCH/redis_limit_cost.py" "${redis_args[@]}" || status=$?
fi
exit "$status"
