"""Helpers shared by the benchmarks: paths, timed subprocesses, tables, target lines, synthetic files."""
from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent          # the venv's bin/: icevidence, papermill, jupyter
PYTHON = sys.executable
WORK = Path(tempfile.gettempdir()) / "icevidence-bench"   # synthetic files, shared between scripts


def env_with(**overrides: str | None) -> dict[str, str]:
    """This process's environment with some variables set (or removed, when None)."""
    env = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


@dataclass
class Timed:
    """A finished command: wall seconds, CPU seconds (user + sys of it and the children it waited
    for), exit code and captured output."""

    wall: float
    cpu: float
    returncode: int
    stdout: str
    stderr: str


def children_cpu() -> float:
    """User + system CPU seconds of all waited-for children of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list, env: dict | None = None, cwd: Path | None = None,
              timeout: float | None = None, check: bool = True) -> Timed:
    """Run a command to completion and time it (wall clock with perf_counter, CPU with getrusage)."""
    cpu0, start = children_cpu(), time.perf_counter()
    done = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu0
    if check and done.returncode != 0:
        raise RuntimeError(f"command failed ({done.returncode}): {' '.join(map(str, cmd))}\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return Timed(wall, cpu, done.returncode, done.stdout, done.stderr)


def load_average() -> float:
    """The 1-minute load average (other work on the machine slows every wall time)."""
    return os.getloadavg()[0]


def wait_for_quiet(limit: float = 1.0, max_wait: float | None = None) -> None:
    """Wait (up to max_wait s: $BENCH_QUIET_WAIT, default 120) for the 1-minute load average to fall
    below limit, and say how it went."""
    max_wait = float(os.environ.get("BENCH_QUIET_WAIT", 120)) if max_wait is None else max_wait
    start = time.perf_counter()
    while load_average() >= limit and time.perf_counter() - start < max_wait:
        time.sleep(5)
    waited = time.perf_counter() - start
    state = "quiet" if load_average() < limit else "STILL BUSY: wall times are inflated by other work"
    print(f"   load average before measuring: {load_average():.2f} ({state}; waited {waited:.0f} s)", flush=True)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss is KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """Peak resident memory of the largest finished child of this process (e.g. a helper process
    the library started), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def memory_total_gb() -> float:
    """Physical memory of the machine, in GB."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3


def machine_summary() -> str:
    """One line naming the machine: cores, memory, Python, OS, and the date."""
    return (f"{os.cpu_count()} cores (nproc), {memory_total_gb():.1f} GB memory, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def print_table(headers: list[str], rows: list[list], title: str | None = None) -> None:
    """Print rows as an aligned plain-text table (numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [[fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] in (None, "-") for row in rows)
               for i in range(len(headers))]
    if title:
        print(f"\n{title}")
    for n, row in enumerate(cells):
        print("  " + "  ".join(c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
    sys.stdout.flush()


def fmt(value) -> str:
    """A table cell: floats with sensible precision, None as '-'."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def report_target(description: str, passed: bool, measured: str) -> bool:
    """Print one target line (run_all.py collects these into the summary)."""
    print(f"TARGET: {'PASS' if passed else 'FAIL'} | {description} | {measured}", flush=True)
    return passed


def synthetic_qdpx(codings: int, participants: int = 4000, codes: int = 250, seed: int = 1,
                   folder: Path = WORK) -> Path:
    """A synthetic project with these sizes, written by `icevidence synth` unless already there
    (the same arguments give the same bytes, so a file made earlier is reused)."""
    path = folder / f"synth-p{participants}-s{codings}-c{codes}-seed{seed}.qdpx"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.qdpx")
        run_timed([BIN / "icevidence", "synth", "--participants", participants, "--segments", codings,
                   "--codes", codes, "--seed", seed, "--out", partial, "--force"])
        partial.rename(path)
    return path


def header(title: str, quiet: bool = True) -> None:
    """Print a script's heading with the machine it runs on; wait for the machine to be quiet."""
    print(f"\n== {title}\n   machine: {machine_summary()}", flush=True)
    if quiet:
        wait_for_quiet()


UNTRACKED = {".git", ".venv", "reports", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"}


def git_dirs(root: Path) -> tuple[Path, Path]:
    """The repository's git folder for this work tree (HEAD, index) and its common folder (refs): both .git,
    except in a linked work tree (`git worktree`), whose .git is a file naming its own folder."""
    dot_git = root / ".git"
    if not dot_git.is_file():
        return dot_git, dot_git
    own = Path(dot_git.read_text(encoding="utf-8").strip().removeprefix("gitdir:").strip())
    own = own if own.is_absolute() else root / own
    common = own / "commondir"
    return own, (own / common.read_text(encoding="utf-8").strip()).resolve() if common.is_file() else own


def tracked_files(root: Path) -> list[str]:
    """Paths in the git index (.git/index, versions 2-4), read directly; without an index, every
    file outside the usual untracked folders."""
    index = git_dirs(root)[0] / "index"
    if not index.is_file():
        return [str(p.relative_to(root)) for p in root.rglob("*")
                if p.is_file() and not UNTRACKED & set(p.relative_to(root).parts)]
    data = index.read_bytes()
    signature, version, count = struct.unpack(">4sLL", data[:12])
    if signature != b"DIRC" or version not in (2, 3, 4):
        raise ValueError(f"unsupported git index (version {version})")
    paths, offset, previous = [], 12, b""
    for _ in range(count):
        start = offset
        flags = struct.unpack(">H", data[offset + 60:offset + 62])[0]
        offset += 62 + (2 if version >= 3 and flags & 0x4000 else 0)
        if version == 4:
            strip, shift = 0, 0
            while True:   # prefix length to drop from the previous path, as a varint
                byte = data[offset]
                offset += 1
                strip = (strip << 7) | (byte & 0x7F) if shift else byte & 0x7F
                if not byte & 0x80:
                    break
                strip += 1
                shift += 7
            end = data.index(b"\0", offset)
            path = previous[:len(previous) - strip] + data[offset:end]
            offset = end + 1
        else:
            end = data.index(b"\0", offset)
            path = data[offset:end]
            offset = start + ((end - start) // 8 + 1) * 8
        paths.append(path.decode("utf-8"))
        previous = path
    return paths


def snapshot_project(target: Path) -> int:
    """Copy the project's tracked files (as they are now in the work tree) into target; returns how
    many were copied. Builds there are immune to edits made to the project meanwhile."""
    copied = 0
    for name in tracked_files(PROJECT):
        source = PROJECT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
            copied += 1
    return copied


def snapshot_env(folder: Path, **overrides: str | None) -> dict[str, str]:
    """Environment that runs icevidence on a snapshot: its root, its reports folder and its copy of
    the library (PYTHONPATH comes before the venv's editable path), with the same venv."""
    return env_with(**{"ICEVIDENCE_ROOT": folder, "ICEVIDENCE_REPORTS": None, "PYTHONPATH": folder / "src",
                       **overrides})


def project_state() -> str:
    """The commit checked out (read from .git, without running git) and a hash of the tracked files'
    current contents, so a recorded run says exactly which code it measured."""
    import hashlib
    own, common = git_dirs(PROJECT)
    head, commit = own / "HEAD", "unknown"
    if head.is_file():
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            loose = common / ref[5:]
            packed = common / "packed-refs"
            if loose.is_file():
                commit = loose.read_text().strip()
            elif packed.is_file():
                lines = packed.read_text().splitlines()
                commit = next((line.split()[0] for line in lines if line.endswith(" " + ref[5:])), commit)
        else:
            commit = ref
    digest = hashlib.sha256()
    for name in sorted(tracked_files(PROJECT)):
        if (PROJECT / name).is_file():
            digest.update(name.encode() + b"\0" + (PROJECT / name).read_bytes())
    return f"commit {commit[:12]}, tracked files' content sha256 {digest.hexdigest()[:12]} (work tree, edits included)"


def interleave(contenders: dict[str, Callable[[], float]], rounds: int,
               log: Callable[[str], None] = print) -> dict[str, list[float]]:
    """Run each contender once per round, in the order given, for `rounds` rounds: its seconds per round.

    Alternating the contenders (A, B, A, B, ...) spreads a change in the machine's load over both
    sides, where running all of A then all of B would charge it to one of them.
    """
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for round_number in range(1, rounds + 1):
        for name, run in contenders.items():
            samples[name].append(run())
            log(f"  round {round_number}/{rounds}: {name} {samples[name][-1]:.1f} s")
    return samples


def min_median(samples: list[float]) -> tuple[float, float]:
    """The fastest and the median of a contender's rounds (the fastest is the least disturbed by load)."""
    return min(samples), statistics.median(samples)


def ratios(slow: list[float], fast: list[float]) -> tuple[float, float]:
    """How many times faster `fast` is than `slow`: ratio of their minima and ratio of their medians."""
    (slow_min, slow_median), (fast_min, fast_median) = min_median(slow), min_median(fast)
    return slow_min / fast_min, slow_median / fast_median
