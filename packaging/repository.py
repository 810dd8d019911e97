"""Where gpwh lives, said once: the `owner/name` of its GitHub repository.

npm refuses a package published with provenance whose `repository` is not
the repository of the workflow that publishes it, so the address cannot be
guessed or typed twice. It comes from one place, the `GITHUB_REPOSITORY`
that GitHub Actions sets in every job. Cargo.toml, the library crate's
crates/webhooks/Cargo.toml and README.md, pyproject.toml and the manifests of the two
webhook packages (packages/javascript/package.json,
packages/python/pyproject.toml) carry the placeholder `OWNER/REPO`;
`stamped()` writes the address in its place
for as long as a build or a publish runs, and puts the files back after.
packaging/release.py refuses to publish anything that names the
placeholder, or another address.
"""

import contextlib
import os
import re
import signal
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "OWNER/REPO"
# The files that name the repository, each where `url()` of it appears.
STAMPED = [ROOT / "Cargo.toml", ROOT / "crates" / "webhooks" / "Cargo.toml",
           ROOT / "crates" / "webhooks" / "README.md",
           ROOT / "pyproject.toml",
           ROOT / "packages" / "javascript" / "package.json",
           ROOT / "packages" / "python" / "pyproject.toml",
           ROOT / "packages" / "python" / "README.md"]
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")


class RepositoryError(Exception):
    pass


def slug() -> str | None:
    """`owner/name` from GITHUB_REPOSITORY, or None outside GitHub Actions."""
    value = os.environ.get("GITHUB_REPOSITORY", "").strip()
    if not value:
        return None
    if not SLUG.fullmatch(value) or value == PLACEHOLDER:
        raise RepositoryError(
            f"GITHUB_REPOSITORY is {value!r}: expected the repository as owner/name")
    return value


def url(owner_name: str) -> str:
    return f"https://github.com/{owner_name}"


def npm_fields(owner_name: str) -> dict:
    """package.json's fields for it, in the form npm keeps unchanged."""
    return {
        "repository": {"type": "git", "url": f"git+{url(owner_name)}.git"},
        "homepage": f"{url(owner_name)}#readme",
        "bugs": {"url": f"{url(owner_name)}/issues"},
    }


@contextlib.contextmanager
def stamped(owner_name: str | None):
    """Every file of STAMPED naming `owner_name` for the duration, then as
    they were. With None, they keep the placeholder."""
    if owner_name is None:
        yield
        return
    originals = {path: path.read_bytes() for path in STAMPED}
    # A SIGTERM (a cancelled job, a killed build) unwinds too, so the
    # files are put back whatever stops the build.
    on_term = signal.signal(signal.SIGTERM, terminated)
    try:
        for path, original in originals.items():
            text = original.decode()
            if url(PLACEHOLDER) not in text:
                raise RepositoryError(f"{relative(path)} does not name {url(PLACEHOLDER)}")
            path.write_bytes(text.replace(url(PLACEHOLDER), url(owner_name)).encode())
        yield
    finally:
        for path, original in originals.items():
            path.write_bytes(original)
        signal.signal(signal.SIGTERM, on_term)


def terminated(signum, frame):
    raise SystemExit(128 + signum)


def only_the_stamp_differs(owner_name: str) -> bool:
    """Whether the stamped work tree differs from its commit by the stamp
    alone: cargo must then be told the tree is dirty (--allow-dirty), and
    nothing else may ride along with that. True outside a git work tree,
    where cargo checks nothing either."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    try:
        status = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return True
    if {line[3:] for line in status.splitlines()} - {relative(path) for path in STAMPED}:
        return False
    return all(
        path.read_text() == git("show", f"HEAD:{relative(path)}").replace(
            url(PLACEHOLDER), url(owner_name))
        for path in STAMPED)


def relative(path: Path) -> str:
    """`path` as git names it: from the repository's root, with '/'."""
    return path.relative_to(ROOT).as_posix()
