"""Builds the two webhook packages, as their registries will get them.

    python3 packaging/webhooks.py OUT_DIR

- `@gpwh/webhooks` (packages/javascript): `npm ci` when its dependencies
  are missing or stale, then `npm pack`, whose `prepack` script builds it:
  OUT_DIR/gpwh-webhooks-VERSION.tgz;
- `gpwh-webhooks` (packages/python): `uv build`, uv pinned from PyPI into
  target/tools: OUT_DIR/gpwh_webhooks-VERSION-py3-none-any.whl and
  OUT_DIR/gpwh_webhooks-VERSION.tar.gz.

packaging/dist.py runs it for a release, and the recipes' tests
(tests/cli/receivers.rs) for the recipes that depend on the packages, so
that those install exactly what a user gets from npm and PyPI. Both
packages carry Cargo.toml's version: the release is one version.
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows, where release builds make no webhook packages
    fcntl = None

ROOT = Path(__file__).resolve().parent.parent
JAVASCRIPT = ROOT / "packages" / "javascript"
PYTHON = ROOT / "packages" / "python"
TOOLS = ROOT / "target" / "tools"
TOOLS_BIN = TOOLS / ("Scripts" if os.name == "nt" else "bin")
UV = "uv==0.13.9"


def version() -> str:
    return tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]["version"]


def artifacts(out: Path, version: str) -> dict:
    """What `build` writes into `out`, by what each is."""
    return {
        "npm": out / f"gpwh-webhooks-{version}.tgz",
        "wheel": out / f"gpwh_webhooks-{version}-py3-none-any.whl",
        "sdist": out / f"gpwh_webhooks-{version}.tar.gz",
    }


def build(out: Path) -> dict:
    """Builds both packages into `out` and returns `artifacts(out, ...)`.
    Raises BuildError, saying which step failed, when one does. One build
    at a time: two `npm ci` in one folder break each other's native
    modules."""
    (ROOT / "target").mkdir(exist_ok=True)
    with open(ROOT / "target" / "webhooks.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        return build_alone(out)


def build_alone(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    wanted = artifacts(out, version())
    for old in wanted.values():
        old.unlink(missing_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not on the PATH: install Node.js and npm (.ci/run does)")
    if stale(JAVASCRIPT):
        run([npm, "ci", "--no-audit", "--no-fund"], JAVASCRIPT)
    run([npm, "pack", "--silent", "--pack-destination", str(out)], JAVASCRIPT)
    uv_ignore = out / ".gitignore"
    made_by_uv = not uv_ignore.exists()
    run([uv(), "build", "--quiet", "--sdist", "--wheel", "--out-dir", str(out), str(PYTHON)], ROOT)
    # uv marks a folder it made for its output as ignored; dist/ is ignored
    # already, and the file is not an artifact.
    if made_by_uv:
        uv_ignore.unlink(missing_ok=True)
    missing = [path.name for path in wanted.values() if not path.is_file()]
    if missing:
        raise BuildError(f"the build did not make {', '.join(missing)}: do the packages' "
                         "versions match Cargo.toml's?")
    return wanted


def stale(package: Path) -> bool:
    """Whether `npm ci` must run: no node_modules, or a lock newer than what
    npm installed from it."""
    installed = package / "node_modules" / ".package-lock.json"
    return (not installed.is_file()
            or installed.stat().st_mtime < (package / "package-lock.json").stat().st_mtime)


def uv() -> str:
    """uv, pinned, from target/tools (installed there first if missing)."""
    found = shutil.which("uv", path=str(TOOLS_BIN))
    if found:
        return found
    python = TOOLS_BIN / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        run([sys.executable, "-m", "venv", str(TOOLS)], ROOT)
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", UV], ROOT)
    return shutil.which("uv", path=str(TOOLS_BIN)) or "uv"


class BuildError(Exception):
    pass


def run(command: list, cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True)
    if done.returncode != 0:
        shown = " ".join([Path(command[0]).name, *command[1:]])
        where = cwd.relative_to(ROOT).as_posix() if cwd != ROOT else "."
        why = (done.stderr or done.stdout).strip()[-2000:]
        raise BuildError(f"`{shown}` in {where} failed ({done.returncode}): {why}")


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: python3 packaging/webhooks.py OUT_DIR", file=sys.stderr)
        return 2
    try:
        built = build(Path(sys.argv[1]).resolve())
    except BuildError as error:
        print(f"webhooks.py: {error}", file=sys.stderr)
        return 1
    for path in built.values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
