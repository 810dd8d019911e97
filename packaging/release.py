"""Checks and publishes what packaging/dist.py built into dist/.

    python3 packaging/release.py check [--all-platforms]   # what will be sent
    python3 packaging/release.py github                    # the GitHub release
    python3 packaging/release.py npm                       # the npm packages
    python3 packaging/release.py pypi-files DIR            # the wheels and sdist, into DIR
    python3 packaging/release.py crates-io                 # the crates

Two kinds of package go out: the gpwh tool (its wheels, sdist, npm launcher
and platform packages, archives and crate) and the webhook packages for
game servers (`@gpwh/webhooks` on npm, `gpwh-webhooks` on PyPI and on
crates.io, where the tool's crate depends on it), one version for all.

`check` is the release's dry run, and the last step of .ci/run: the versions
agree with Cargo.toml (the library crate's too, and the tag, on a tag),
the tool's crate asks for this version of the library's, CHANGELOG.md has the
version's notes (dated, on a tag), every package names the
repository of GITHUB_REPOSITORY and none the placeholder, and each
registry's own dry run accepts what it will get: `npm publish --dry-run` on
each tarball, `twine check --strict` on the wheels and the sdist, `cargo
publish --workspace --dry-run` (both crates, the library's first). With --all-platforms (the release workflow), every
platform's wheel, archive and npm package must be there too. Its last line
counts the checks.

The other commands are the release workflow's publishing jobs, one per
registry. Each publishes only what is missing, so a release that failed
halfway is finished by running the failed jobs again: the GitHub release is
created if missing (its notes are the version's section of CHANGELOG.md), as a draft until every file is on it, and a file it has
is never replaced; npm versions and the crate that exist are skipped; PyPI's
upload skips the files it has (`skip-existing`). The crates go to crates.io
the library first, since the tool's crate needs it there.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import repository
from dist import PLATFORMS, ROOT, TOOLS_BIN, install_tools, workspace_crates

DIST = ROOT / "dist"
TWINE = "twine==7.0.0"


def main() -> int:
    parser = argparse.ArgumentParser(description="Check or publish dist/.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="the release's dry run")
    check_parser.add_argument("--all-platforms", action="store_true",
                              help="require every platform's files (the release workflow)")
    commands.add_parser("github", help="the GitHub release: create if missing, add missing files")
    commands.add_parser("npm", help="publish the npm packages that are not on npm")
    pypi = commands.add_parser("pypi-files", help="copy the wheels and the sdist into DIR")
    pypi.add_argument("dir", type=Path)
    commands.add_parser("crates-io", help="publish the crates crates.io lacks, the library first")
    args = parser.parse_args()
    try:
        release = Release()
        if args.command == "check":
            return release.check(args.all_platforms)
        if args.command == "github":
            release.github()
        elif args.command == "npm":
            release.npm()
        elif args.command == "pypi-files":
            release.pypi_files(args.dir)
        elif args.command == "crates-io":
            release.crates_io()
    except (ReleaseError, repository.RepositoryError, subprocess.CalledProcessError) as error:
        print(f"release.py: {error}", file=sys.stderr)
        return 1
    return 0


class ReleaseError(Exception):
    pass


class Release:
    """The version being released, the repository it comes from, and the
    files dist/ holds for it."""

    def __init__(self):
        manifest = tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]
        self.version = manifest["version"]
        # The workspace's crates, (name, version), the library first.
        self.crates = workspace_crates()
        self.owner_name = repository.slug()
        self.said_unnamed = False
        if not DIST.is_dir():
            raise ReleaseError("dist/ is missing: build it first with python3 packaging/dist.py")

    def files(self, pattern: str) -> list:
        return sorted(DIST.glob(pattern))

    def npm_tarballs(self) -> list:
        """The platform packages first, then the launcher that depends on
        them, then `@gpwh/webhooks`."""
        others = {self.launcher().name, self.webhooks_tarball().name}
        platforms = [f for f in self.files("gpwh-*.tgz") if f.name not in others]
        return platforms + [self.launcher(), self.webhooks_tarball()]

    def launcher(self) -> Path:
        return DIST / f"gpwh-{self.version}.tgz"

    def webhooks_tarball(self) -> Path:
        return DIST / f"gpwh-webhooks-{self.version}.tgz"

    def tool_wheels(self) -> list:
        return self.files(f"gpwh-{self.version}-*.whl")

    def webhooks_wheel(self) -> Path:
        return DIST / f"gpwh_webhooks-{self.version}-py3-none-any.whl"

    def sdist(self) -> Path:
        return DIST / f"gpwh-{self.version}.tar.gz"

    def webhooks_sdist(self) -> Path:
        return DIST / f"gpwh_webhooks-{self.version}.tar.gz"

    def python_files(self) -> list:
        """Everything for PyPI: both projects' wheels and sdists."""
        return self.files("*.whl") + [self.sdist(), self.webhooks_sdist()]

    def crate_files(self) -> list:
        return [DIST / f"{name}-{version}.crate" for name, version in self.crates]

    def archives(self) -> list:
        return [f for f in self.files(f"gpwh-{self.version}-*") if f.suffix in (".gz", ".zip")]

    # --- check ---------------------------------------------------------------

    def check(self, all_platforms: bool) -> int:
        checks = Checks()
        checks.run("the repository is named (GITHUB_REPOSITORY)", self.check_repository)
        checks.run("the tag is the version", self.check_tag)
        checks.run("the crates' versions are the version", self.check_crate_versions)
        checks.run("CHANGELOG.md has the version's notes", self.check_changelog)
        if all_platforms:
            checks.run("every platform is there", self.check_every_platform)
        for tarball in self.npm_tarballs():
            checks.run(f"npm: {tarball.name}", lambda t=tarball: self.check_npm(t))
        for wheel in self.tool_wheels():
            checks.run(f"PyPI: {wheel.name}", lambda w=wheel: self.check_wheel(w))
        checks.run(f"PyPI: {self.sdist().name}", self.check_sdist)
        checks.run(f"PyPI: {self.webhooks_wheel().name}", self.check_webhooks_wheel)
        checks.run(f"PyPI: {self.webhooks_sdist().name}", self.check_webhooks_sdist)
        checks.run("twine check --strict", self.check_twine)
        for crate in self.crate_files():
            checks.run(f"crates.io: {crate.name}", lambda c=crate: self.check_crate(c))
        checks.run("cargo publish --workspace --dry-run", self.check_cargo_publish)
        for archive in self.archives():
            checks.run(f"archive: {archive.name}", lambda a=archive: self.check_archive(a))
        print(f"{checks.passed} passed, {checks.failed} failed")
        return 1 if checks.failed else 0

    def expected_url(self) -> str:
        if self.owner_name is None and self.said_unnamed:
            raise ReleaseError("no repository to compare with: GITHUB_REPOSITORY is not set")
        if self.owner_name is None:
            self.said_unnamed = True
            raise ReleaseError(
                "GITHUB_REPOSITORY is not set, so the packages name the placeholder "
                f"{repository.PLACEHOLDER}: the release workflow sets it; by hand, run "
                "GITHUB_REPOSITORY=owner/name python3 packaging/dist.py, then this")
        return repository.url(self.owner_name)

    def check_repository(self) -> None:
        self.expected_url()

    def check_tag(self) -> None:
        if os.environ.get("GITHUB_REF_TYPE") != "tag":
            return
        tag = os.environ.get("GITHUB_REF_NAME", "")
        if tag != f"v{self.version}":
            raise ReleaseError(f"the tag is {tag!r}, Cargo.toml's version {self.version}: "
                               f"tag v{self.version}, or change the version and tag again")

    def notes(self) -> str:
        """The version's section of CHANGELOG.md: the release's notes."""
        text = (ROOT / "CHANGELOG.md").read_text()
        found = re.search(rf"^## \[{re.escape(self.version)}\]([^\n]*)\n(.*?)(?=^## \[|\Z)",
                          text, re.MULTILINE | re.DOTALL)
        if not found or not found.group(2).strip():
            raise ReleaseError(f"CHANGELOG.md has no section ## [{self.version}]: add one")
        if os.environ.get("GITHUB_REF_TYPE") == "tag" and "Unreleased" in found.group(1):
            raise ReleaseError(f"CHANGELOG.md still calls {self.version} Unreleased: "
                               "give the section its date before tagging")
        return found.group(2).strip() + "\n"

    def check_crate_versions(self) -> None:
        for name, version in self.crates:
            expect(version, self.version, f"{name}'s version")

    def check_changelog(self) -> None:
        self.notes()

    def check_every_platform(self) -> None:
        missing = []
        for target, platform in PLATFORMS.items():
            for name in (f"gpwh-{platform.npm}-{self.version}.tgz",
                         f"gpwh-{self.version}-{target}.{'zip' if platform.os == 'win32' else 'tar.gz'}"):
                if not (DIST / name).is_file():
                    missing.append(name)
        for path in (self.launcher(), self.sdist(), *self.crate_files(),
                     self.webhooks_tarball(), self.webhooks_wheel(), self.webhooks_sdist()):
            if not path.is_file():
                missing.append(path.name)
        wheels = self.tool_wheels()
        if len(wheels) != len(PLATFORMS):
            missing.append(f"{len(PLATFORMS)} wheels (found {len(wheels)})")
        if missing:
            raise ReleaseError("missing: " + ", ".join(missing))

    def check_npm(self, tarball: Path) -> None:
        package = package_json(tarball)
        expect(package.get("version"), self.version, "version")
        for field in ("name", "description", "license", "keywords"):
            if not package.get(field):
                raise ReleaseError(f"package.json has no {field}")
        url = self.expected_url()
        expect(package.get("repository", {}).get("url"), f"git+{url}.git", "repository.url")
        expect(package.get("homepage"), f"{url}#readme", "homepage")
        if tarball == self.webhooks_tarball():
            expect(package.get("name"), "@gpwh/webhooks", "name")
            # A game server takes it without anything else.
            expect(package.get("dependencies", {}), {}, "dependencies")
            if "types" not in json.dumps(package.get("exports", {})):
                raise ReleaseError("its exports name no types")
        if tarball == self.launcher():
            names = {f"@gpwh/{p.npm}" for p in PLATFORMS.values()}
            dependencies = package.get("optionalDependencies", {})
            expect(set(dependencies), names, "optionalDependencies")
            for name, version in dependencies.items():
                expect(version, self.version, f"optionalDependencies[{name}]")
        # npm's own reading: it says what it would correct or refuse.
        result = subprocess.run([npm(), "publish", "--dry-run", "--access", "public", str(tarball)],
                                capture_output=True, text=True, cwd=DIST)
        complaints = [line for line in result.stderr.splitlines()
                      if line.startswith(("npm warn", "npm error")) and "logged in" not in line]
        if result.returncode != 0 or complaints:
            raise ReleaseError("npm publish --dry-run:\n" + "\n".join(complaints or [result.stderr]))

    def check_metadata(self, metadata: str, where: str) -> None:
        fields = HeaderParser().parsestr(metadata)
        expect(fields.get("Version"), self.version, f"{where} Version")
        urls = fields.get_all("Project-URL") or []
        if f"Repository, {self.expected_url()}" not in urls:
            raise ReleaseError(f"{where} has no Project-URL Repository, {self.expected_url()}: {urls}")
        for field in ("Summary", "License-Expression"):
            if not fields.get(field):
                raise ReleaseError(f"{where} has no {field}")

    def check_wheel(self, wheel: Path) -> None:
        with zipfile.ZipFile(wheel) as zipped:
            metadata = zipped.read(f"gpwh-{self.version}.dist-info/METADATA").decode()
        self.check_metadata(metadata, "METADATA")

    def check_webhooks_wheel(self) -> None:
        with zipfile.ZipFile(self.webhooks_wheel()) as zipped:
            names = zipped.namelist()
            metadata = zipped.read(f"gpwh_webhooks-{self.version}.dist-info/METADATA").decode()
        self.check_metadata(metadata, "METADATA")
        fields = HeaderParser().parsestr(metadata)
        expect(fields.get("Name"), "gpwh-webhooks", "Name")
        # No required dependency: only extras (`; extra == ...`) may need one.
        required = [r for r in fields.get_all("Requires-Dist") or [] if "extra ==" not in r]
        expect(required, [], "required dependencies")
        for wanted in ("gpwh_webhooks/__init__.py", "gpwh_webhooks/py.typed"):
            if wanted not in names:
                raise ReleaseError(f"{wanted} is not in it")

    def check_webhooks_sdist(self) -> None:
        with tarfile.open(self.webhooks_sdist()) as tar:
            root = f"gpwh_webhooks-{self.version}"
            self.check_metadata(tar.extractfile(f"{root}/PKG-INFO").read().decode(), "PKG-INFO")

    def check_sdist(self) -> None:
        with tarfile.open(self.sdist()) as tar:
            root = f"gpwh-{self.version}"
            self.check_metadata(tar.extractfile(f"{root}/PKG-INFO").read().decode(), "PKG-INFO")
            self.check_cargo_toml(tar.extractfile(f"{root}/Cargo.toml").read().decode())

    def check_cargo_toml(self, text: str) -> None:
        package = tomllib.loads(text)["package"]
        expect(package.get("version"), self.version, "Cargo.toml version")
        for field in ("repository", "homepage"):
            expect(package.get(field), self.expected_url(), f"Cargo.toml {field}")

    def check_twine(self) -> None:
        twine = tool("twine", TWINE)
        run([twine, "check", "--strict", *map(str, self.python_files())])

    def check_crate(self, crate: Path) -> None:
        """The packaged manifest: version, repository, a README that is in
        the crate, and the workspace's crates asked for at this version."""
        folder = crate.name.removesuffix(".crate")
        with tarfile.open(crate) as tar:
            names = tar.getnames()
            text = tar.extractfile(f"{folder}/Cargo.toml").read().decode()
        self.check_cargo_toml(text)
        package = tomllib.loads(text)["package"]
        readme = package.get("readme")
        if not readme or f"{folder}/{readme}" not in names:
            raise ReleaseError(f"its readme {readme!r} is not in it")
        dependencies = tomllib.loads(text).get("dependencies", {})
        for name, _ in self.crates:
            if name in dependencies:
                wanted = dependencies[name].get("version", "")
                if wanted.lstrip("^=") != self.version:
                    raise ReleaseError(f"it asks for {name} {wanted!r}, not {self.version}")

    def check_cargo_publish(self) -> None:
        # dist.py's `cargo package` built the packaged crates already; here
        # crates.io's rules for the manifests and the index are what is
        # asked, of both crates together: the tool's needs the library's,
        # which crates.io may not have yet.
        with repository.stamped(self.owner_name):
            run(["cargo", "publish", "--workspace", "--dry-run", "--locked", "--no-verify",
                 *self.allow_stamp()])

    def check_archive(self, archive: Path) -> None:
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as zipped:
                names = zipped.namelist()
        else:
            with tarfile.open(archive) as tar:
                names = tar.getnames()
        folder = archive.name.removesuffix(".tar.gz").removesuffix(".zip")
        for wanted in ("README.md", "LICENSE", "gpwh.1"):
            if f"{folder}/{wanted}" not in names:
                raise ReleaseError(f"{wanted} is not in it")

    def allow_stamp(self) -> list:
        if self.owner_name is None:
            return []
        if not repository.only_the_stamp_differs(self.owner_name):
            raise ReleaseError("the work tree has uncommitted changes: the crate would carry them")
        return ["--allow-dirty"]

    # --- publish -------------------------------------------------------------

    def tag(self) -> str:
        self.check_tag()
        return f"v{self.version}"

    def github(self) -> None:
        """The release of the tag, as a draft until it has every file."""
        tag = self.tag()
        files = self.archives() + [f for f in DIST.iterdir()
                                   if f.suffix in (".whl", ".tgz", ".crate")
                                   or f in (self.sdist(), self.webhooks_sdist())]
        files = sorted(set(files))
        sums = DIST / "SHA256SUMS"
        sums.write_text("".join(f"{sha256(f)}  {f.name}\n" for f in files))
        files.append(sums)
        found = subprocess.run(["gh", "release", "view", tag, "--json", "assets,isDraft"],
                               capture_output=True, text=True)
        if found.returncode != 0:
            print(f"release.py: creating the draft release {tag}", file=sys.stderr)
            notes = DIST / "NOTES.md"
            notes.write_text(self.notes())
            run(["gh", "release", "create", tag, "--draft", "--verify-tag",
                 "--title", f"gpwh {tag}", "--notes-file", str(notes)], quiet=False)
            release = {"assets": [], "isDraft": True}
        else:
            release = json.loads(found.stdout)
        there = {asset["name"] for asset in release["assets"]}
        missing = [f for f in files if f.name not in there]
        for f in files:
            if f.name in there:
                print(f"release.py: {f.name} is on the release already: kept", file=sys.stderr)
        if missing:
            run(["gh", "release", "upload", tag, *map(str, missing)], quiet=False)
        if release["isDraft"]:
            run(["gh", "release", "edit", tag, "--draft=false", "--latest"], quiet=False)

    def npm(self) -> None:
        for tarball in self.npm_tarballs():
            package = package_json(tarball)
            spec = f"{package['name']}@{package['version']}"
            if npm_has(spec):
                print(f"release.py: {spec} is on npm already: skipped", file=sys.stderr)
                continue
            # Through OIDC (trusted publishing), which signs provenance too.
            run([npm(), "publish", "--access", "public", "--provenance", str(tarball)], quiet=False)

    def pypi_files(self, into: Path) -> None:
        into.mkdir(parents=True, exist_ok=True)
        for f in self.python_files():
            shutil.copy2(f, into / f.name)

    def crates_io(self) -> None:
        """Each crate crates.io lacks, the library before the tool that
        depends on it (cargo publish waits until the index has it)."""
        missing = [(name, version) for name, version in self.crates
                   if version not in crates_io_versions(name)]
        for name, version in self.crates:
            if (name, version) not in missing:
                print(f"release.py: {name} {version} is on crates.io already: skipped",
                      file=sys.stderr)
        if not missing:
            return
        self.expected_url()
        with repository.stamped(self.owner_name):
            for name, _ in missing:
                run(["cargo", "publish", "-p", name, "--locked", *self.allow_stamp()],
                    quiet=False)


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def run(self, name: str, check) -> None:
        try:
            check()
        except (ReleaseError, repository.RepositoryError, subprocess.CalledProcessError,
                OSError, KeyError, ValueError) as error:
            self.failed += 1
            print(f"FAIL  {name}")
            for line in str(error).splitlines()[-20:]:
                print(f"      {line}")
        else:
            self.passed += 1
            print(f"ok    {name}")


def package_json(tarball: Path) -> dict:
    """The package.json inside an npm tarball."""
    with tarfile.open(tarball) as tar:
        return json.load(tar.extractfile("package/package.json"))


def expect(found, wanted, what: str) -> None:
    if found != wanted:
        raise ReleaseError(f"{what} is {found!r}, expected {wanted!r}")


def npm() -> str:
    return shutil.which("npm") or "npm"


def npm_has(spec: str) -> bool:
    """Whether npm has this version. A package npm has never seen is E404;
    any other failure stops the job rather than guess."""
    result = subprocess.run([npm(), "view", spec, "version", "--json"],
                            capture_output=True, text=True)
    try:
        answer = json.loads(result.stdout) if result.stdout.strip() else None
    except json.JSONDecodeError:
        answer = None
    if result.returncode == 0:
        return answer is not None
    if isinstance(answer, dict) and answer.get("error", {}).get("code") == "E404":
        return False
    raise ReleaseError(f"npm view {spec} failed:\n{result.stderr}")


def crates_io_versions(name: str) -> set:
    """The versions crates.io's index lists for the crate (none if it has
    never been published). A failure other than 404 stops the job."""
    path = f"{name[:2]}/{name[2:4]}/{name}" if len(name) >= 4 else f"{len(name)}/{name}"
    request = urllib.request.Request(f"https://index.crates.io/{path}",
                                     headers={"User-Agent": "gpwh release.py"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            lines = response.read().decode().splitlines()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return set()
        raise ReleaseError(f"the crates.io index answered {error.code}") from error
    return {json.loads(line)["vers"] for line in lines if line.strip()}


def tool(name: str, pin: str) -> str:
    """A Python tool from PyPI, pinned, in target/tools."""
    if not shutil.which(name, path=str(TOOLS_BIN)):
        install_tools([pin])
    return shutil.which(name, path=str(TOOLS_BIN)) or name


def run(command: list, quiet: bool = True) -> None:
    """Runs a command; a check keeps its output for when it fails, a
    publishing step shows it as it goes."""
    if not quiet:
        subprocess.run(command, cwd=ROOT, check=True)
        return
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise ReleaseError(f"{' '.join(command[:3])} ... exited with {result.returncode}:\n"
                           f"{result.stdout}{result.stderr}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":
    sys.exit(main())
