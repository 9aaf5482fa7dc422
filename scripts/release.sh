#!/usr/bin/env bash
# The release artefacts, built and checked, in dist/:
#
#   bash scripts/release.sh              the wheels and the sdist, every check below
#   bash scripts/release.sh --no-aarch64 the x86_64 wheel only (and the sdist)
#
#   paystack_rs-V-cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
#   paystack_rs-V-cp310-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl   (see below)
#   paystack_rs-V.tar.gz
#
# Wheels: one abi3 wheel per architecture serves CPython 3.10 and every later version. zig (the
# `ziglang` package) links them against glibc 2.17's symbols, so they run on any Linux with glibc
# 2.17 or newer (maturin --zig); the `dist` profile is `release` without debug information; maturin's
# manylinux audit runs in check mode and fails the build on a wheel that is not compliant. The
# aarch64 wheel is cross-compiled when rustup has the target or can add it (`rustup target add`
# reaches the network); otherwise the script says so and goes on without it.
#
# Checks (any failure exits non-zero): scripts/check_dist.py (tags, no debug sections, glibc <= 2.17,
# what the sdist holds); `twine check --strict`; the x86_64 wheel installed into a fresh venv of
# CPython 3.10 and one of 3.13 and smoke-tested against the sandbox (scripts/smoke_installed.py); the
# sdist installed by pip into a fresh 3.13 venv that holds nothing else (pip fetches maturin itself
# and cargo compiles; a C compiler, which Rust on Linux links with anyway, builds the crates with C
# parts) and smoke-tested the same way. The aarch64 wheel is checked but not run (no aarch64 machine).
#
# Interpreters: `pythonX.Y` on PATH or pyenv's ($PYENV_ROOT/versions/X.Y.*); RELEASE_PYTHONS
# ("3.10 3.13") changes the list. Build output is kept in target/ between runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { printf '\n==> %s\n' "$*"; }
aarch64=1
for arg in "$@"; do
  case "$arg" in
    --no-aarch64) aarch64=0 ;;
    -h | --help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || { echo "release.sh needs the Rust toolchain (https://rustup.rs)" >&2; exit 1; }

find_python() {
  # The first candidate that runs and is that version (a pyenv shim on PATH may not run).
  local version="$1" found
  for found in "$(command -v "python$version" 2>/dev/null || true)" \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version"; do
    if [ -n "$found" ] && [ -x "$found" ] &&
      "$found" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" 2>/dev/null; then
      echo "$found"
      return
    fi
  done
  echo "release.sh: CPython $version not found (on PATH as python$version, or pyenv install $version)" >&2
  return 1
}
read -r -a pythons <<<"${RELEASE_PYTHONS:-3.10 3.13}"
for version in "${pythons[@]}"; do find_python "$version" >/dev/null; done

# The tools (maturin, zig, twine) in the project's venv; zig is found on PATH (`python -m ziglang`).
if [ ! -x .venv/bin/python ]; then "${PYTHON:-python3}" -m venv .venv; fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -r requirements-release.txt
export PATH="$ROOT/.venv/bin:$PATH"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"

targets=(x86_64-unknown-linux-gnu)
if [ "$aarch64" = 1 ]; then
  if rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-gnu; then
    targets+=(aarch64-unknown-linux-gnu)
  elif command -v rustup >/dev/null 2>&1 && timeout 300 rustup target add aarch64-unknown-linux-gnu >/dev/null 2>&1; then
    targets+=(aarch64-unknown-linux-gnu)
  else
    echo "==> no aarch64 wheel: rustup has no aarch64-unknown-linux-gnu target and could not add it" >&2
  fi
fi

rm -rf dist
step "sdist"
maturin sdist --out dist
for target in "${targets[@]}"; do
  step "wheel for $target (abi3, manylinux_2_17 via zig, the dist profile)"
  maturin build --profile dist --target "$target" --zig --compatibility manylinux2014 --auditwheel check --out dist
done

step "the artefacts"
.venv/bin/python scripts/check_dist.py dist "$version"
.venv/bin/twine check --strict dist/*

# A fresh venv of that interpreter with the artefact installed, smoke-tested from outside the checkout.
smoke() {
  local python="$1" artefact="$2" venv
  venv="$(mktemp -d /tmp/paystack-rs-release.XXXXXX)"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install --quiet --no-cache-dir "$artefact"
  (cd "$venv" && "$venv/bin/python" "$ROOT/scripts/smoke_installed.py" "$version")
  rm -rf "$venv"
}
wheel="$(ls dist/paystack_rs-"$version"-cp310-abi3-*manylinux_2_17_x86_64*.whl)"
for version_py in "${pythons[@]}"; do
  step "the x86_64 wheel on CPython $version_py"
  smoke "$(find_python "$version_py")" "$ROOT/$wheel"
done

step "the sdist, built by pip in a fresh venv (CPython ${pythons[-1]})"
# Its own target folder, kept between runs for the crates.io dependencies; the project's crates are
# removed first so they are compiled from the sdist's sources every time.
sdist_target="${CARGO_TARGET_DIR:-$ROOT/target}/sdist-check"
if [ -d "$sdist_target" ]; then
  find "$sdist_target" \( -name '*paystack*' -o -name 'lib_core*' -o -name '_core*' \) -prune -exec rm -rf {} +
fi
CARGO_TARGET_DIR="$sdist_target" smoke "$(find_python "${pythons[-1]}")" "$ROOT/dist/paystack_rs-$version.tar.gz"

step "dist/"
ls -l dist
