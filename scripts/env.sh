# Sourced by the scripts: makes .venv (CPython 3.10+), installs $1 (a requirements file, optional)
# and builds the extension into it (release profile; target/ is kept between builds).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if ! command -v cargo >/dev/null 2>&1; then
  [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || { echo "paystack-rs needs the Rust toolchain (https://rustup.rs)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
VENV_PY="$ROOT/.venv/bin/python"
"$VENV_PY" -m pip install --quiet --upgrade pip >/dev/null
"$VENV_PY" -m pip install --quiet "maturin>=1.9.4,<2"
if [ -n "${1:-}" ]; then
  "$VENV_PY" -m pip install --quiet -r "$1"
fi
echo "==> building the extension (release)"
"$ROOT/.venv/bin/maturin" develop --release --quiet 2>&1 | grep -v '^📦\|^🔗\|^🐍\|^✏️\|^🛠' || true
"$VENV_PY" -c "import paystack_rs, sys; print('paystack_rs', paystack_rs.__version__, 'on Python', sys.version.split()[0])"
