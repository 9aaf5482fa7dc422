#!/usr/bin/env bash
# The whole test-suite: lints, Rust tests, stub checks and pytest (against the sandbox).
source "$(dirname "$0")/env.sh" requirements-dev.txt
# The servers the tests run besides the sandbox: nginx (the proxy in front of Django), and headless
# Chromium with its WebDriver for the browser tests (Debian's builds: Selenium downloads nothing), and
# redis-server (the shared rate limit's store and the Celery example's broker).
bash scripts/apt-install.sh nginx:nginx-light chromium:chromium chromedriver:chromium-driver \
  redis-server:redis-server redis-cli:redis-tools
step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "cargo test (paystack-facts, paystack-core, paystack-sandbox)"
cargo test --quiet -p paystack-facts -p paystack-core -p paystack-sandbox
step "ruff"
.venv/bin/ruff check python tests scripts bench examples
.venv/bin/ruff format --check python tests scripts bench examples
step "mypy --strict on the package"
"$VENV_PY" -m mypy python/paystack_rs
step "generated methods up to date; stubtest on _core.pyi"
"$VENV_PY" scripts/generate.py --check
"$VENV_PY" -m mypy.stubtest paystack_rs._core
step "pytest"
"$VENV_PY" -m pytest -q "$@"
