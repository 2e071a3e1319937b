"""The persistent build cache in .dossier-cache/: never trusted blindly.

Every entry sits under a global key made of the cache format, the Python version,
the dossier's own code, the versions of the libraries that shape the output, and the
build options. Inputs (content/, layouts/, sources/) are known by their SHA-256; a
file's stat (size, mtime) only saves re-reading it when it is old enough not to be
racy. The cache file is written atomically with a checksum: a truncated, corrupt or
foreign file is ignored and the build simply runs in full.

A build whose inputs and site/ are exactly as the last successful build left them
does nothing (the no-change rebuild, `snapshots.nothing_to_do`). For everything else the state keeps each page's
fingerprint and output digest; `memo.ArticleMemo` keeps each article read and analysed,
and `save_memo`/`load_memo` keep other answers (similarity answers) under the same key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 8  # bump when anything stored here changes shape
FOLDER = ".dossier-cache"
STATE_FILE = "state.pickle"
JOURNAL = "commit.journal"  # present only while a build switches site/ (staging.recover finishes it)
INPUT_FOLDERS = ("content", "layouts", "sources")
LIBRARIES = (
    "markdown-it-py",
    "mdit-py-plugins",
    "Jinja2",
    "MarkupSafe",
    "PyYAML",
    "Babel",
    "pagefind",
    "rapidfuzz",
    "cydifflib",
)
RACY_SECONDS = 2.0  # files changed this close to the last build are hashed anyway
MAGIC = b"dossier-cache\n"

Stat = tuple[int, int]  # (size, mtime_ns)


def _code_digest() -> str:
    """SHA-256 over the dossier package's own source files."""
    package = Path(__file__).resolve().parent.parent  # dossier/, every stage and this layer
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _library_versions() -> str:
    """'name=version' of every library that shapes the output.

    Read from the names of the installed `<name>-<version>.dist-info` folders, first on
    sys.path first, as importlib.metadata would find them (which costs a tenth of a no-change
    build to import and run); importlib.metadata answers for any library not found so."""
    wanted = {_normal(name): name for name in LIBRARIES}
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info") and "-" in entry:
                name, _, version = entry[: -len(".dist-info")].partition("-")
                key = _normal(name)
                if key in wanted and key not in versions:
                    versions[key] = version
    found = []
    for key, name in wanted.items():
        found.append(f"{name}={versions.get(key) or _metadata_version(name)}")
    return ",".join(found)


def _normal(name: str) -> str:
    """A distribution name as dist-info folders spell it (PEP 503 normalised, with underscores)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(name: str) -> str:
    """A library's version from importlib.metadata, '-' when it is not installed."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def global_key(options: dict) -> str:
    """Everything besides the input files that a cached result depends on."""
    parts = [
        f"format={FORMAT}",
        f"python={sys.version_info[:3]}",
        f"code={_code_digest()}",
        _library_versions(),
        *(f"{k}={options[k]!r}" for k in sorted(options)),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def scan(
    root: Path, folders: tuple[str, ...] = INPUT_FOLDERS, skip: tuple[str, ...] = (), empty=False
) -> dict[str, Stat]:
    """(size, mtime_ns) of every file under the given folders, by POSIX path relative to root (and, if
    `empty`, every empty folder as OTHER, so that `snapshots.folder_snapshot` knows every folder)."""
    found: dict[str, Stat] = {}
    base, stack = str(root), list(folders) if folders else [""]
    while stack:  # plain strings, not Path objects: a site has a folder per page
        stack += scan_folder(base, stack.pop(), found, skip=skip, empty=empty)
    return found


def scan_folder(base: str, rel: str, found: dict[str, Stat], *, skip: tuple[str, ...] = (), empty=False) -> list[str]:
    """What `scan` records of the entries of one folder (`rel` under `base`; '' for base itself), put into
    `found`; returns its subfolders to look into, as paths relative to `base`."""
    folder, prefix = (base + "/" + rel, rel + "/") if rel else (base, "")
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    if empty and not entries and rel:
        found[rel] = (OTHER, 0)
    deeper = []
    for entry in entries:
        name = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if not any((name + "/").startswith(s) for s in skip):
                deeper.append(name)
            if entry.name.endswith(".md"):  # a folder where a content file would be: refused by the build
                found[name] = (OTHER, 0)
        else:
            found[name] = entry_stat(entry.stat(follow_symlinks=False))
    return deeper


LINKED, OTHER = -1, -2  # the "size" of a symbolic link and of a file that is neither file nor folder


def entry_stat(st: os.stat_result) -> Stat:
    """What `scan` records of an entry that is no folder, from its lstat: a file's size and mtime; a link as
    LINKED with its own mtime (known by where it points: never read through, never hung on); anything else
    (a pipe, a device: the build refuses it, and a no-change build must notice it) as OTHER."""
    if stat.S_ISREG(st.st_mode):
        return (st.st_size, st.st_mtime_ns)
    if stat.S_ISLNK(st.st_mode):
        return (LINKED, st.st_mtime_ns)
    return (OTHER, 0)


def file_digest(path: Path, size: int = 0, root: Path | None = None) -> str:
    """SHA-256 of a file's bytes. A symbolic link: where it points, and the bytes it leads to when that
    is a file inside `root` (a link out of the project is refused by the build, never read); a pipe or
    a device: a mark."""
    if size == OTHER:
        return "other"
    if size != LINKED:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    mark = "link:" + os.readlink(path)
    try:
        target = path.resolve(strict=True)
        if root is not None and target.is_file() and target.is_relative_to(root.resolve()):
            mark += ":" + hashlib.sha256(target.read_bytes()).hexdigest()
    except (OSError, RuntimeError):
        pass
    return mark


def trusted(old: tuple[Stat, str] | None, now: Stat, racy_ns: int) -> bool:
    """Whether a file's known digest holds by its stat alone: unchanged, not changed close to the scan that
    hashed it, and no link (a link's own stat does not change when the file it leads to does)."""
    return old is not None and old[0] == now and now[1] < racy_ns and now[0] != LINKED


def digests(root: Path, stats: dict[str, Stat], known: dict[str, tuple[Stat, str]], since: float) -> dict[str, str]:
    """SHA-256 of every scanned file, reusing a known digest when the stat is unchanged and not racy."""
    racy_ns = int((since - RACY_SECONDS) * 1e9)
    out = {}
    for rel, now in stats.items():
        old = known.get(rel)
        if trusted(old, now, racy_ns):
            out[rel] = old[1]
        else:  # (a link's own stat does not change when the file it leads to does)
            out[rel] = file_digest(root / rel, now[0], root)
    return out


@dataclass
class BuildState:
    """What the last successful build saw and left behind."""

    key: str
    inputs: dict[str, tuple[Stat, str]] = field(default_factory=dict)  # rel -> (stat, sha256)
    outputs: dict[str, Stat] = field(default_factory=dict)  # site/ rel -> stat after writing
    pages: int = 0
    files: int = 0
    warnings: list[tuple[str, int, str, str]] = field(default_factory=list)
    scanned_at: float = 0.0  # when the inputs were looked at (files changed close to it are re-hashed)
    searched: bool = False  # the search index was brought up to date too
    fingerprints: dict[str, str] = field(default_factory=dict)  # page path -> fingerprint of its data
    reads: dict[str, str] = field(default_factory=dict)  # page path -> key of what it reads (`outdated.fingerprinted`)
    digests: dict[str, str] = field(default_factory=dict)  # output path -> SHA-256 of the bytes written
    asked: dict[str, tuple] = field(default_factory=dict)  # article page -> the link targets its body looked up
    folders: dict[str, int] = field(default_factory=dict)  # site/ folder -> mtime_ns after writing (`snapshots`)
    hand_written: dict[str, str] = field(default_factory=dict)  # article file without provenance -> its SHA-256
    objects: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file -> (its SHA-256, its object's digest)
    frame: str = ""  # what every article and entity page was planned against (`scope.frame_key`)
    token: str = ""  # this build's mark on the rows of the readers' store (`readers.Readers`)


def _cache_file(root: Path) -> Path:
    """The one cache file of a project."""
    return root / FOLDER / STATE_FILE


def read_checked(path: Path) -> bytes | None:
    """The payload of a file written by `write_checked`, or None when missing, cut short or damaged."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    header = len(MAGIC) + 32
    if len(blob) < header or not blob.startswith(MAGIC):
        return None
    checksum, payload = blob[len(MAGIC) : header], blob[header:]
    if hashlib.sha256(payload).digest() != checksum:
        return None
    return payload


def write_checked(path: Path, payload: bytes) -> None:
    """Write payload with a checksum, atomically: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
    os.replace(tmp, path)


def load(root: Path, key: str) -> BuildState | None:
    """The saved state if it is intact and was made under the same global key, else None."""
    payload = read_checked(_cache_file(root))
    if payload is None:
        return None
    try:
        state = pickle.loads(payload)
    except Exception:  # a cache from another version of the code: ignore it
        return None
    if not isinstance(state, BuildState) or state.key != key:
        return None
    return state


def save(root: Path, state: BuildState) -> None:
    """Write the state atomically."""
    write_checked(_cache_file(root), pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))


def load_memo(root: Path, name: str, key: str) -> dict:
    """A dict kept by `save_memo` under the same global key, or an empty one."""
    payload = read_checked(root / FOLDER / name)
    try:
        stored_key, memo = pickle.loads(payload) if payload is not None else ("", {})
    except Exception:
        return {}
    return memo if stored_key == key and isinstance(memo, dict) else {}


def save_memo(root: Path, name: str, key: str, memo: dict) -> None:
    """Keep a dict for the next build, under the global key."""
    write_checked(root / FOLDER / name, pickle.dumps((key, memo), protocol=pickle.HIGHEST_PROTOCOL))


def input_snapshot(root: Path, previous: BuildState | None) -> tuple[dict[str, tuple[Stat, str]], float]:
    """Stat and digest of every input file now, and when they were looked at."""
    scanned_at = time.time()
    stats = scan(root)
    known = previous.inputs if previous else {}
    since = previous.scanned_at if previous else 0.0
    shas = digests(root, stats, known, since)
    return {rel: (stats[rel], shas[rel]) for rel in stats}, scanned_at


def inputs_unchanged(state: BuildState, now: dict[str, tuple[Stat, str]]) -> bool:
    """Whether every input file has the same bytes as at the last build (and none came or went)."""
    return len(now) == len(state.inputs) and all(state.inputs.get(rel, (None, ""))[1] == v[1] for rel, v in now.items())


def rehashed(state: BuildState, now: dict[str, tuple[Stat, str]]) -> bool:
    """Whether the input snapshot `now` hashed a file again that is no link: its stat had moved since `state`
    (touched, checked out again) or was too close to that state's scan to be trusted (`digests`)."""
    racy_ns = int((state.scanned_at - RACY_SECONDS) * 1e9)
    known = state.inputs
    return any(st[0] != LINKED and not trusted(known.get(rel), st, racy_ns) for rel, (st, _) in now.items())


def still_hand_written(state: BuildState | None, inputs: dict[str, tuple[Stat, str]]) -> dict[str, str]:
    """The article files the last build's import found without provenance that have the same bytes now: the
    import need not read them again."""
    known = state.hand_written if state else {}
    return {rel: sha for rel, sha in known.items() if inputs.get(rel, (None, ""))[1] == sha}


def options_key(*, base_url, drafts: bool, portable: bool, strict: bool, force_import: bool) -> dict:
    """The build options that shape the output, as they enter the global key."""
    return {
        "base_url": base_url,
        "drafts": drafts,
        "portable": portable,
        "strict": strict,
        "force_import": force_import,
    }
