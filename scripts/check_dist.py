"""Checks the release artefacts in a folder (scripts/release.sh runs it on dist/):

    python scripts/check_dist.py dist/ VERSION

- each wheel: abi3 for CPython 3.10+, a manylinux_2_17 platform tag, the extension with no debug
  sections and needing at most GLIBC 2.17, py.typed, the stubs and the licence inside;
- the sdist: everything a build reads (the workspace's manifests and lock file, every member's
  sources, the Python package, the licence and the readme the metadata names) and nothing else: no
  tests or their data, no benchmarks or results, no build output, no CI, scripts, docs or examples.

Prints one line per artefact (its size, and for a wheel the size of its shared object); exits 1
with every problem listed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

#: Top-level folders of the repository that hold no input of a build.
NOT_BUILD_INPUT = ("bench", "tests", "target", ".ci", "scripts", "docs", "examples", "fuzz", ".venv", "dist")
GLIBC_MAX = (2, 17)
MIB = 1024 * 1024


def mib(n: int) -> str:
    return f"{n / MIB:.1f} MiB ({n:,} bytes)"


def readelf(*args: str) -> str:
    return subprocess.run(["readelf", "--wide", *args], capture_output=True, text=True, check=True).stdout


def check_shared_object(so: Path, problems: list[str]) -> str:
    sections = re.findall(r"\]\s+(\.\S+)", readelf("--section-headers", str(so)))
    debug = sorted(s for s in sections if s.startswith((".debug", ".zdebug")))
    if debug:
        problems.append(f"{so.name}: debug sections left in: {', '.join(debug)}")
    versions = readelf("--version-info", str(so))
    glibc = sorted({tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", versions)})
    if glibc and glibc[-1] > GLIBC_MAX:
        problems.append(f"{so.name}: needs GLIBC {'.'.join(map(str, glibc[-1]))}, above {GLIBC_MAX}")
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", readelf("--dynamic", str(so)))
    machine = re.search(r"Machine:\s+(.+)", readelf("--file-header", str(so)))
    newest = ".".join(map(str, glibc[-1])) if glibc else "none"
    return f"{machine.group(1).strip() if machine else '?'}; glibc {newest}; needs {', '.join(needed)}"


def check_wheel(wheel: Path, version: str, problems: list[str]) -> None:
    match = re.fullmatch(r"paystack_rs-(?P<v>[^-]+)-cp310-abi3-(?P<platform>.+)\.whl", wheel.name)
    if not match:
        problems.append(f"{wheel.name}: not a cp310-abi3 wheel")
        return
    if match["v"] != version:
        problems.append(f"{wheel.name}: version {match['v']}, expected {version}")
    if "manylinux_2_17_" not in match["platform"]:
        problems.append(f"{wheel.name}: platform {match['platform']} is not manylinux_2_17")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        for wanted in ("paystack_rs/py.typed", "paystack_rs/_core.pyi", "paystack_rs/__init__.py"):
            if wanted not in names:
                problems.append(f"{wheel.name}: {wanted} is missing")
        if not any(re.fullmatch(r"paystack_rs-[^/]+\.dist-info/licenses/LICENSE", n) for n in names):
            problems.append(f"{wheel.name}: the LICENSE file is missing from .dist-info/licenses")
        so_names = [n for n in names if n.endswith(".abi3.so")]
        if len(so_names) != 1:
            problems.append(f"{wheel.name}: expected one .abi3.so, found {so_names}")
            return
        with tempfile.TemporaryDirectory() as tmp:
            so = Path(zf.extract(so_names[0], tmp))
            info = check_shared_object(so, problems)
            so_size = so.stat().st_size
    print(f"  {wheel.name}: {mib(wheel.stat().st_size)}; {so_names[0]} {mib(so_size)}; {info}")


def check_sdist(sdist: Path, version: str, problems: list[str]) -> None:
    top = f"paystack_rs-{version}"
    if sdist.name != f"{top}.tar.gz":
        problems.append(f"{sdist.name}: expected {top}.tar.gz")
    with tarfile.open(sdist) as tf:
        names = [n for n in tf.getnames() if n != top]
        if any(not n.startswith(top + "/") for n in names):
            problems.append(f"{sdist.name}: entries outside {top}/")
        files = {n[len(top) + 1 :] for n in names}
        cargo = tf.extractfile(f"{top}/Cargo.toml")
        manifest = cargo.read().decode() if cargo else ""
    members = re.search(r"members\s*=\s*\[(.*?)\]", manifest, re.S)
    member_dirs = [m for m in re.findall(r'"([^"]+)"', members.group(1)) if m != "."] if members else []
    needed = ["pyproject.toml", "Cargo.toml", "Cargo.lock", "LICENSE", "README.md", "src/lib.rs"]
    needed += ["python/paystack_rs/__init__.py", "python/paystack_rs/py.typed", "python/paystack_rs/_core.pyi"]
    needed += [f"{m}/Cargo.toml" for m in member_dirs] + [f"{m}/src/lib.rs" for m in member_dirs]
    problems += [f"{sdist.name}: {n} is missing" for n in needed if n not in files]
    for name in sorted(files):
        parts = name.split("/")
        inside_member = len(parts) > 2 and parts[0] == "crates"
        if parts[0] in NOT_BUILD_INPUT or (inside_member and parts[2] in ("tests", "benches", "examples")):
            problems.append(f"{sdist.name}: {name} is not a build input")
        if name.endswith((".so", ".pyc", ".whl")) or "__pycache__" in parts:
            problems.append(f"{sdist.name}: {name} is build output")
    print(f"  {sdist.name}: {mib(sdist.stat().st_size)}, {len(files)} entries; members {', '.join(member_dirs)}")


def main(folder: str, version: str) -> int:
    dist = Path(folder)
    problems: list[str] = []
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if not wheels:
        problems.append(f"no wheel in {dist}")
    if len(sdists) != 1:
        problems.append(f"expected one sdist in {dist}, found {[s.name for s in sdists]}")
    for wheel in wheels:
        check_wheel(wheel, version, problems)
    for sdist in sdists:
        check_sdist(sdist, version, problems)
    sys.stdout.flush()
    for problem in problems:
        print(f"check_dist: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
