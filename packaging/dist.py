"""Builds every artifact this machine can build into dist/, from one build.

    python3 packaging/dist.py                      # Linux x86_64, and the rest
    python3 packaging/dist.py --target TRIPLE      # one platform's artifacts

- the wheel for PyPI, tagged manylinux_2_17_x86_64 (maturin, `bindings =
  "bin"`, linked with zig against glibc 2.17), and the sdist;
- gpwh-VERSION-x86_64-unknown-linux-gnu.tar.gz: the binary, README,
  licence, completions and the man page;
- the npm launcher package `gpwh` and the platform package `@gpwh/linux-x64`,
  as the tarballs `npm pack` makes;
- the crates, gpwh-webhooks (the library) and gpwh (the tool, which
  depends on it by path and version), as `cargo package --workspace
  --locked` makes them together (cargo 1.90 or later: the tool's crate is
  verified against the library's, before crates.io has it);
- the webhook packages for game servers, `@gpwh/webhooks` (npm) and
  `gpwh-webhooks` (PyPI: a pure wheel and its sdist), as
  packaging/webhooks.py builds them;
- SHA256SUMS over every file in dist/.

Every package names the repository it comes from: the release workflow's
GITHUB_REPOSITORY, written in place of the Cargo.toml files' and
pyproject.toml's placeholder for as long as the build runs
(packaging/repository.py).
Without it, the packages name the placeholder, which packaging/release.py
refuses to publish.

The binary is built once, by maturin with the `dist` profile; the archive
and the npm package carry the very bytes that are in the wheel. The version
of every artifact is the one in Cargo.toml. maturin and ziglang come from
PyPI at pinned versions, into target/tools, unless maturin is on the PATH
already.

With `--target`, only that platform's wheel, archive and npm package are
built, on a machine of that platform: .github/workflows/release.yml runs it
once per platform, and the plain run (Linux x86_64) adds the npm launcher,
the sdist, the crates and the webhook packages.
"""

import argparse

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import repository
import webhooks

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
STAGE = ROOT / "target" / "dist-stage"
TOOLS = ROOT / "target" / "tools"
TOOLS_BIN = TOOLS / ("Scripts" if os.name == "nt" else "bin")
TOOL_PINS = ["maturin==1.16.0", "ziglang==0.17.1"]
HOST = "x86_64-unknown-linux-gnu"


class Platform:
    """A target as each channel names it: npm's os, cpu and libc, and how
    maturin builds and tags its wheel."""

    def __init__(self, npm, os, cpu, libc=None, wheel=()):
        self.npm, self.os, self.cpu, self.libc, self.wheel = npm, os, cpu, libc, list(wheel)


# Every platform the release workflow builds. On Linux, zig links against
# glibc 2.17 (manylinux2014), or musl.
PLATFORMS = {
    "x86_64-unknown-linux-gnu": Platform(
        "linux-x64", "linux", "x64", "glibc", ["--zig", "--compatibility", "manylinux2014"]),
    "aarch64-unknown-linux-gnu": Platform(
        "linux-arm64", "linux", "arm64", "glibc", ["--zig", "--compatibility", "manylinux2014"]),
    "x86_64-unknown-linux-musl": Platform(
        "linux-x64-musl", "linux", "x64", "musl", ["--zig", "--compatibility", "musllinux_1_2"]),
    "aarch64-unknown-linux-musl": Platform(
        "linux-arm64-musl", "linux", "arm64", "musl", ["--zig", "--compatibility", "musllinux_1_2"]),
    "x86_64-apple-darwin": Platform("darwin-x64", "darwin", "x64"),
    "aarch64-apple-darwin": Platform("darwin-arm64", "darwin", "arm64"),
    "x86_64-pc-windows-msvc": Platform("win32-x64", "win32", "x64"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description="Build gpwh's artifacts into dist/.")
    parser.add_argument("--target", default=HOST, choices=sorted(PLATFORMS))
    target = parser.parse_args().target
    platform = PLATFORMS[target]
    manifest = tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]
    version = manifest["version"]
    try:
        owner_name = repository.slug()
        with repository.stamped(owner_name):
            build(target, platform, manifest, version, owner_name)
    except repository.RepositoryError as error:
        sys.exit(f"dist.py: {error}")
    return 0


def build(target: str, platform: Platform, manifest: dict, version: str,
          owner_name: str | None) -> None:
    env = tool_env()
    shutil.rmtree(DIST, ignore_errors=True)
    shutil.rmtree(STAGE, ignore_errors=True)
    DIST.mkdir()
    STAGE.mkdir(parents=True)

    step(f"the wheel for {target}")
    run(["maturin", "build", "--locked", "--target", target, *platform.wheel,
         "--out", str(DIST)], env)
    binary = binary_from(only(DIST.glob("*.whl")), version, platform)

    step("the archive")
    archive(binary, version, target, platform)

    step("the npm package")
    npm_platform_package(binary, version, manifest, platform, owner_name)

    if target == HOST:
        step("the npm launcher, the sdist and the crates")
        npm_launcher(version, manifest, owner_name)
        run(["maturin", "sdist", "--out", str(DIST)], env)
        package_crates(env, owner_name)
        step("the webhook packages, @gpwh/webhooks and gpwh-webhooks")
        try:
            webhooks.build(DIST)
        except webhooks.BuildError as error:
            sys.exit(f"dist.py: {error}")

    step("SHA256SUMS")
    sums = "".join(f"{sha256(f)}  {f.name}\n" for f in sorted(DIST.iterdir()) if f.is_file())
    (DIST / "SHA256SUMS").write_text(sums)
    print(sums, end="")


def package_crates(env: dict, owner_name: str | None) -> None:
    """Every crate of the workspace, packaged and verified together, into
    dist/."""
    run(["cargo", "package", "--workspace", "--locked", *allow_stamp(owner_name)], env)
    for name, crate_version in workspace_crates():
        crate = ROOT / "target" / "package" / f"{name}-{crate_version}.crate"
        shutil.copy2(crate, DIST / crate.name)


def workspace_crates() -> list:
    """(name, version) of each crate of the workspace, as the manifests say,
    those the others depend on by path first: the order crates.io must get
    them in."""
    root = tomllib.loads((ROOT / "Cargo.toml").read_text())
    shared = root.get("workspace", {}).get("package", {})
    folders = [ROOT] + [folder for member in root.get("workspace", {}).get("members", [])
                        for folder in sorted(ROOT.glob(member))]
    members = {}
    for folder in folders:
        manifest = tomllib.loads((folder / "Cargo.toml").read_text())
        package = manifest["package"]
        version = package["version"]
        if isinstance(version, dict):
            version = shared["version"]
        paths = {(folder / spec["path"]).resolve()
                 for spec in manifest.get("dependencies", {}).values()
                 if isinstance(spec, dict) and "path" in spec}
        members[folder.resolve()] = (package["name"], version, paths)
    ordered = []

    def visit(folder: Path) -> None:
        if folder in ordered:
            return
        # cargo refuses a cycle of normal dependencies: this ends.
        for dependency in sorted(members[folder][2]):
            if dependency in members:
                visit(dependency)
        ordered.append(folder)

    for folder in sorted(members):
        visit(folder)
    return [members[folder][:2] for folder in ordered]


def allow_stamp(owner_name: str | None) -> list:
    """What cargo needs to package the stamped tree: --allow-dirty, given
    only when the stamp is the whole difference from the commit."""
    if owner_name is None:
        return []
    if not repository.only_the_stamp_differs(owner_name):
        raise repository.RepositoryError(
            "the work tree has uncommitted changes: commit them, then build the release")
    return ["--allow-dirty"]


def tool_env() -> dict:
    """The environment with maturin (and ziglang, for Linux) on the PATH,
    installed into target/tools first when maturin is not there."""
    env = dict(os.environ)
    if shutil.which("maturin"):
        return env
    if not shutil.which("maturin", path=str(TOOLS_BIN)):
        step("maturin and ziglang from PyPI, into target/tools")
        install_tools(TOOL_PINS)
    # maturin finds zig through `python3 -m ziglang`: the venv's.
    env["PATH"] = f"{TOOLS_BIN}{os.pathsep}{env['PATH']}"
    return env


def install_tools(pins: list) -> None:
    """Installs pinned tools from PyPI into target/tools, a virtualenv made
    first if there is none."""
    python = TOOLS_BIN / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        run([sys.executable, "-m", "venv", str(TOOLS)], dict(os.environ))
    run([str(python), "-m", "pip", "install", "--quiet", *pins], dict(os.environ))


def exe(platform: Platform) -> str:
    return "gpwh.exe" if platform.os == "win32" else "gpwh"


def binary_from(wheel: Path, version: str, platform: Platform) -> Path:
    """The gpwh binary inside the wheel, written out with its mode."""
    out = STAGE / exe(platform)
    with zipfile.ZipFile(wheel) as zipped:
        out.write_bytes(zipped.read(f"gpwh-{version}.data/scripts/{exe(platform)}"))
    out.chmod(0o755)
    return out


def archive(binary: Path, version: str, target: str, platform: Platform) -> None:
    """The binary with README, licence, completions and man page: a .tar.gz,
    or a .zip on Windows."""
    name = f"gpwh-{version}-{target}"
    folder = STAGE / name
    (folder / "completions").mkdir(parents=True)
    shutil.copy2(binary, folder / binary.name)
    for doc in ("README.md", "LICENSE"):
        shutil.copy2(ROOT / doc, folder / doc)
    for completion in sorted((ROOT / "completions").iterdir()):
        shutil.copy2(completion, folder / "completions" / completion.name)
    man = subprocess.run([str(binary), "man"], check=True, capture_output=True).stdout
    (folder / "gpwh.1").write_bytes(man)
    if platform.os == "win32":
        shutil.make_archive(str(DIST / name), "zip", STAGE, name)
    else:
        with tarfile.open(DIST / f"{name}.tar.gz", "w:gz") as tar:
            tar.add(folder, arcname=name, filter=owned_by_root)


def npm_fields(version: str, manifest: dict, owner_name: str | None) -> dict:
    return {
        "version": version,
        "license": manifest["license"],
        "keywords": manifest["keywords"],
        **repository.npm_fields(owner_name or repository.PLACEHOLDER),
    }


def npm_launcher(version: str, manifest: dict, owner_name: str | None) -> None:
    """`gpwh`: the launcher, depending on every platform's package."""
    launcher = STAGE / "npm" / "gpwh"
    shutil.copytree(ROOT / "packaging" / "npm" / "gpwh", launcher)
    shutil.copy2(ROOT / "README.md", launcher / "README.md")
    shutil.copy2(ROOT / "LICENSE", launcher / "LICENSE")
    write_json(launcher / "package.json", {
        "name": "gpwh",
        "description": manifest["description"],
        **npm_fields(version, manifest, owner_name),
        "bin": {"gpwh": "bin/gpwh.js"},
        "files": ["bin/gpwh.js", "README.md", "LICENSE"],
        "engines": {"node": ">=18"},
        "optionalDependencies": {
            f"@gpwh/{p.npm}": version for p in PLATFORMS.values()
        },
    })
    npm_pack(launcher)


def npm_platform_package(binary: Path, version: str, manifest: dict, platform: Platform,
                         owner_name: str | None) -> None:
    """`@gpwh/<platform>`: the binary, for npm to install only where it runs."""
    folder = STAGE / "npm" / platform.npm
    (folder / "bin").mkdir(parents=True)
    shutil.copy2(binary, folder / "bin" / binary.name)
    shutil.copy2(ROOT / "LICENSE", folder / "LICENSE")
    (folder / "README.md").write_text(
        f"# @gpwh/{platform.npm}\n\nThe gpwh binary for {platform.npm}. Install `gpwh`, "
        "which picks this package for you.\n")
    package = {
        "name": f"@gpwh/{platform.npm}",
        "description": f"The gpwh binary for {platform.npm}",
        **npm_fields(version, manifest, owner_name),
        "os": [platform.os],
        "cpu": [platform.cpu],
        "files": [f"bin/{binary.name}", "README.md", "LICENSE"],
        "preferUnplugged": True,
    }
    if platform.libc:
        package["libc"] = [platform.libc]
    write_json(folder / "package.json", package)
    npm_pack(folder)


def npm_pack(folder: Path) -> None:
    npm = shutil.which("npm") or "npm"
    subprocess.run([npm, "pack", "--silent", "--pack-destination", str(DIST)],
                   cwd=folder, check=True, stdout=subprocess.DEVNULL)


def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n")


def only(paths) -> Path:
    found = list(paths)
    if len(found) != 1:
        sys.exit(f"dist.py: expected one file, found {[p.name for p in found]}")
    return found[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def step(what: str) -> None:
    print(f"dist.py: {what}", file=sys.stderr, flush=True)


def run(command: list, env: dict) -> None:
    program = shutil.which(command[0], path=env["PATH"]) or command[0]
    subprocess.run([program, *command[1:]], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    sys.exit(main())
