"""Runs function-level samples inside the sandbox, one process (group) each, for one slot.

Usage: fl_runner.py SLOT_UID NPROC SCRATCH CLEAN_EVERY MAX_FILES

Jobs come on stdin, one per line, as the harness sends them: {"id", "files": {name: text},
"steps": [{"argv", "timeout_s", "stage"}], "stdin"?: text, "output_cap", "output_limit",
"env"}. For each job one JSON line is printed as soon as it ends: what each step did, the head
and tail of its output, the report the program wrote on fd 3, and how many processes had to be
killed afterwards. The runner ends at the end of its input. One runner serves the slot for the
whole run: an exec per batch of jobs cost ~0.1 s of runc and Python start-up each. The jobs
(expected outputs included) stay in its memory: a sample finds its own job's files in its
folder, never another job's.

Why it is built this way:
- The runner is root; samples run as SLOT_UID (no capabilities, their own session and process
  group), so a sample can neither signal the runner nor read another slot's files.
- Each step is started by posix_spawn of fl_exec (fl_exec.c), which becomes SLOT_UID, sets the
  rlimits, makes the job's folder and files and execs the step: a fork of this Python process
  cost about a millisecond per sample (copy-on-write of its heap, Python work in the child).
- After every job the runner kills every process of SLOT_UID in the container (by /proc, with
  CAP_KILL), round after round until none is left: that reaches what left the process group
  (setsid, a double fork), and it stops a fork bomb (RLIMIT_NPROC bounds it meanwhile).
- Each job gets a fresh folder whose name the runner draws at random, made by the runner
  inside the slot's folder (writable by all, since root here may not chown: no CAP_CHOWN).
  The slot's folder is root's alone (others may pass through, not list or write) under a
  root-only parent, and its name holds a secret only root can read: no sample can guess,
  squat, remove or replace its own folder, a later job's, or another slot's, and no sample
  can leave a file in a folder above a later job's, where toolchains look without being asked
  (Node's package.json and node_modules, TypeScript's @types, Go's go.work). Leftovers are
  removed by a child that is SLOT_UID (root here has no CAP_DAC_OVERRIDE), then their empty
  folders by the runner.
- A Go job's build cache is its own: hard links to the slot's copy of the image's warm cache,
  which is root's and read-only to samples, in folders the job may add to. A sample cannot
  change an entry a later sample's build would read (a zeroed package index failed every
  later build when the slot shared one cache).
- SCRATCH, the parent, is the slot's own in-memory filesystem of fixed size (see executor.ts):
  on the container's overlay filesystem, making and removing a folder and files per job cost
  more kernel time than the runner's own work. Being the slot's own, a sample that fills it
  gets "No space left on device" and the other slots do not; it is emptied once half full.
- Output is read through pipes and only its head and tail are kept; a flood past
  output_limit ends the job.
"""
import json
import os
import secrets
import select
import shutil
import signal
import sys
import time

def usable_uid(uid):
    """The slot's uid as this container can take it. Under a user namespace that maps few ids
    (rootless Podman: 65,536), the uid the host drew is past the range and setuid refuses it;
    then the host's block of 16 is folded into the ids both maps cover, above the system's
    users and below nobody's, keeping the slot's place in its block."""

    def ranges(path):
        try:
            with open(path) as f:
                return [(int(a), int(a) + int(n)) for a, _, n in (line.split() for line in f if line.strip())]
        except OSError:
            return [(0, 2 ** 32 - 1)]

    maps = [ranges("/proc/self/uid_map"), ranges("/proc/self/gid_map")]

    def covered(value):
        return all(any(lo <= value < hi for lo, hi in m) for m in maps)

    if covered(uid):
        return uid
    lo, hi = 10000, min(max(h for _, h in m) for m in maps) - 1000
    blocks = (hi - lo) // 16
    if blocks < 1:
        return uid  # nowhere to fold into: fl_exec's setuid says so
    folded = lo + (uid // 16) % blocks * 16 + uid % 16
    return folded if covered(folded) else uid


SLOT_UID = usable_uid(int(sys.argv[1]))
SLOT_UID_BYTES = b"%d" % SLOT_UID
NPROC = int(sys.argv[2])
# The slot's jobs' folders are removed after this many jobs (or sooner: keep_scratch_free).
CLEAN_EVERY = int(sys.argv[4])
# The files SCRATCH is meant to hold: its own bound where the engine set one (nr_inodes), and
# the runner's alone where it could not (Podman).
MAX_FILES = int(sys.argv[5])
# Root's own (0711: others may pass through, not list or write); the slot's folder lives here.
SCRATCH = sys.argv[3]
WARM_GOCACHE = "/opt/swe-harness/gocache"
# The slot's copy of the warm cache, root's: each Go job's cache links to it (see job_go_cache).
GO_CACHE_MASTER = os.path.join(SCRATCH, "gocache")
FL_EXEC = "/opt/swe-harness/fl_exec"


def slot_folder():
    """The slot's folder, the same for every runner of this slot in this container: its name holds a token
    kept in a file only root reads, so samples (of any slot) cannot find another's folder."""
    os.makedirs(SCRATCH, exist_ok=True)
    os.chmod(SCRATCH, 0o711)
    token_file = os.path.join(SCRATCH, "slot-%d.token" % SLOT_UID)
    try:
        with open(token_file) as f:
            token = f.read().strip()
    except FileNotFoundError:
        token = secrets.token_hex(16)
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, token.encode())
        os.close(fd)
    folder = os.path.join(SCRATCH, "slot-%d-%s" % (SLOT_UID, token))
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o711)
    return folder


WORK = slot_folder()


# The container's count of OOM kills: cgroup v2, then v1 (kernels from 4.13 count there too).
OOM_COUNTERS = (("/sys/fs/cgroup/memory.events", "oom_kill"), ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"))


def oom_kills():
    for path, key in OOM_COUNTERS:
        try:
            with open(path) as f:
                for line in f:
                    name, value = line.split()
                    if name == key:
                        return int(value)
        except (OSError, ValueError):
            continue
    return 0


def become_slot_user():
    os.setgroups([])
    os.setgid(SLOT_UID)
    os.setuid(SLOT_UID)


def in_slot_child(work):
    """Forks a child that is SLOT_UID, runs work() there and waits; True when it succeeded."""
    sweep()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            # Not the runner's stdin, which holds the jobs to come.
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            become_slot_user()
            code = work() or 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def slot_processes():
    """Live processes of the slot's uid, other than the caller (zombies hold nothing).

    Reads each /proc/PID/status (the real uid, which a process cannot hide, unlike the owner
    of /proc/PID, which turns root when it makes itself non-dumpable) and looks at two fields
    only: this runs after every job.
    """
    found = []
    me = os.getpid()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            fd = os.open("/proc/%s/status" % name, os.O_RDONLY)
            try:
                status = os.read(fd, 4096)
            finally:
                os.close(fd)
        except OSError:
            continue
        uid_at = status.find(b"\nUid:")
        state_at = status.find(b"\nState:")
        if uid_at < 0 or state_at < 0:
            continue
        uid = status[uid_at + 5 : status.index(b"\n", uid_at + 1)].split()[:1]
        state = status[state_at + 7 : state_at + 16].strip()[:1]
        if uid == [SLOT_UID_BYTES] and state not in (b"Z", b"X"):
            found.append(int(name))
    return found


def kill_all_as_slot_user():
    """kill(-1, SIGKILL) from a child that is the slot's user: the kernel signals every process
    of that uid in one pass, during which none can fork, so a fork bomb cannot outrun it as it
    outruns pid-by-pid kills (a JS-spawned shell bomb took 5 s to over 100 s that way)."""
    try:
        pid = os.fork()
    except OSError:
        return  # no pid left in the container: the pid-by-pid rounds go on
    if pid == 0:
        try:
            become_slot_user()
            os.kill(-1, signal.SIGKILL)  # never itself, and no process of another uid
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def sweep():
    """Kills every process of the slot's uid; returns how many kill rounds found some.

    By uid, not by process group: that reaches what left the group (setsid, a double fork).
    The /proc listing is the cheap check after every job; when it finds processes, they are
    killed at once by the slot's user (see kill_all_as_slot_user) and by pid (the runner may
    signal them, CAP_KILL; they cannot signal it), round after round until /proc shows none.
    """
    rounds = 0
    while rounds < 100000:
        pids = slot_processes()
        if not pids:
            break
        kill_all_as_slot_user()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        rounds += 1
        # The killed need the CPU to die (the container may have one): give it to them.
        time.sleep(0.001 if rounds < 10 else 0.01)
    return rounds


def remove_work():
    """Removes what the slot's jobs left in its folder: their contents as the slot's user (root
    here cannot: no CAP_DAC_OVERRIDE), with one `rm -rf` for many jobs, then the emptied job
    folders, which are the runner's."""
    # Listed here: the folder is root's and not listable by the slot's user.
    paths = [os.path.join(WORK, n) for n in os.listdir(WORK)]
    if not paths:
        return

    def remove():
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        # Folders a sample closed (mode 000) are the slot user's own: opened first, or rm would
        # leave them, and what they hold would keep the scratch full.
        os.execv("/bin/sh", ["sh", "-c", 'chmod -R u+rwx -- "$@"; exec rm -rf -- "$@"', "sh"] + paths)

    in_slot_child(remove)
    for path in paths:
        try:
            os.rmdir(path)
        except OSError:
            pass  # not empty (rm could not finish): the next clean-up tries again


def scratch_full():
    """Whether the slot's scratch filesystem is more than half full, in bytes or in files."""
    try:
        st = os.statvfs(SCRATCH)
    except OSError:
        return False
    return st.f_bfree * 2 < st.f_blocks or (st.f_files - st.f_ffree) * 2 > MAX_FILES


def keep_scratch_free():
    """After a job: when the scratch is more than half full, what this slot's jobs left is
    removed now rather than after CLEAN_EVERY jobs. A sample that fills the scratch gets "No
    space left on device"; the samples after it find room."""
    if scratch_full():
        remove_work()


class Capture:
    """Keeps the head and tail of a stream and counts every byte."""

    def __init__(self, cap):
        self.cap = cap
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, data):
        self.total += len(data)
        room = self.cap // 2 - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            del self.tail[: max(0, len(self.tail) - self.cap // 2)]

    def text(self):
        skipped = self.total - len(self.head) - len(self.tail)
        middle = b"\n[... %d bytes cut ...]\n" % skipped if skipped > 0 else b""
        return (bytes(self.head) + middle + bytes(self.tail)).decode("utf-8", "replace")


BASE_PATH = "/usr/local/bin:/usr/bin:/bin"
EXECUTABLES = {}


def executable(name, path):
    """argv[0] as a path, looked up in PATH once per runner rather than by every child."""
    if "/" in name:
        return name
    key = (name, path)
    if key not in EXECUTABLES:
        EXECUTABLES[key] = shutil.which(name, path=path) or name
    return EXECUTABLES[key]


def job_files(job):
    """The job's files as fl_exec reads them on fd 5 (see fl_exec.c), encoded once here."""
    files = dict(job["files"])
    if job.get("stdin"):
        files[".stdin"] = job["stdin"]
    out = []
    for name, text in files.items():
        name_b, data = name.encode(), text.encode("utf-8", "surrogatepass")
        out.append(b"%d %d\n%s%s" % (len(name_b), len(data), name_b, data))
    return b"".join(out)


def make_job_folder(workdir):
    """The job's folder, the runner's, writable by the slot's user (see the module's notes)."""
    os.mkdir(workdir, 0o777)  # fails when the name exists: no one made it in advance
    os.chmod(workdir, 0o777)


def job_go_cache(workdir):
    """The job's Go build cache: the slot's copy of the image's warm cache (made on the first Go
    job), linked file by file into folders the job may add to. The files stay root's and
    read-only, so a sample can add entries for itself but not change one; the next job starts
    from the warm cache again."""
    if not os.path.isdir(GO_CACHE_MASTER) and os.path.isdir(WARM_GOCACHE):
        staging = GO_CACHE_MASTER + ".tmp"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(WARM_GOCACHE, staging)
        os.rename(staging, GO_CACHE_MASTER)
    cache = os.path.join(workdir, ".gocache")
    for folder, _, names in os.walk(GO_CACHE_MASTER):
        relative = os.path.relpath(folder, GO_CACHE_MASTER)
        target = cache if relative == "." else os.path.join(cache, relative)
        os.mkdir(target, 0o777)
        os.chmod(target, 0o777)
        for name in names:
            if name != "trim.txt":
                os.link(os.path.join(folder, name), os.path.join(target, name))
    # Trimmed just now, as far as go knows: it would otherwise walk the cache after the build.
    with open(os.path.join(cache, "trim.txt"), "w") as f:
        f.write("%d\n" % int(time.time()))
    return cache


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def start_step(job, step, files, nonce, workdir):
    """Starts the step's process as the slot user in its own session; returns pid and pipes.

    `files` is set for the job's first step: fl_exec writes them in the job's folder, as the
    slot's user. posix_spawn, not a fork of this process: see fl_exec.c.
    """
    # TMPDIR is not the job folder itself: Go ignores a go.mod in the temporary folder's root.
    env = {"PATH": BASE_PATH, "HOME": workdir, "TMPDIR": os.path.join(workdir, ".tmp"), "LANG": "C.UTF-8", "GOCACHE": os.path.join(workdir, ".gocache")}
    env.update(job.get("env") or {})
    argv = step["argv"]
    stdin_path = os.path.join(workdir, ".stdin") if job.get("stdin") else os.devnull
    helper = [FL_EXEC, str(SLOT_UID), str(NPROC), workdir, "1" if files is not None else "0", stdin_path, executable(argv[0], env["PATH"])]
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    rep_r, rep_w = os.pipe()
    nonce_r, nonce_w = os.pipe()
    spec_r, spec_w = os.pipe()
    pipes = ((out_w, 1), (err_w, 2), (rep_w, 3), (nonce_r, 4), (spec_r, 5))
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)] + [(os.POSIX_SPAWN_DUP2, fd, to) for fd, to in pipes]
    try:
        # SIGPIPE as programs expect it (this runner ignores it, as Python does); SIGXFSZ stays
        # ignored, so a file past the size limit is an error the program sees ("File too large").
        pid = os.posix_spawn(FL_EXEC, helper + list(argv), env, file_actions=actions, setsid=True, setsigdef=(signal.SIGPIPE,))
    except OSError:
        for fd in (out_r, rep_r, err_r, nonce_w, spec_w):
            os.close(fd)
        raise
    finally:
        for fd in (out_w, err_w, rep_w, nonce_r, spec_r):
            os.close(fd)
    # The files are written while fl_exec reads them (they can be larger than a pipe holds);
    # then the nonce, which lets the report prove it came from the wrapper, not the sample.
    for fd, data in ((spec_w, files or b""), (nonce_w, nonce.encode())):
        try:
            write_all(fd, data)
        except BrokenPipeError:
            pass  # fl_exec or the program ended first: stderr and the exit code say why
        finally:
            os.close(fd)
    return pid, {out_r: "stdout", err_r: "stderr", rep_r: "report"}


def run_step(job, step, files, captures, nonce, workdir):
    pid, streams = start_step(job, step, files, nonce, workdir)
    deadline = time.monotonic() + step["timeout_s"]
    limit = job["output_limit"]
    poller = select.poll()
    for fd in streams:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    # The process's exit wakes the poll too (a pidfd), so its end is seen at once, not on a tick.
    pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    status, killed_by, exited_at, swept = None, None, 0.0, False
    open_fds = set(streams)
    while open_fds or status is None:
        left = deadline - time.monotonic()
        if left <= 0 and killed_by is None:
            killed_by = "timeout"
        if captures["stdout"].total + captures["stderr"].total > limit and killed_by is None:
            killed_by = "output-limit"
        if killed_by is not None:
            # The whole group, then everything of the uid (what left the group too).
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            captures["rounds"] += sweep()
        if status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status, exited_at = st, time.monotonic()
        elif open_fds and time.monotonic() - exited_at > 0.05 and not swept:
            # Pipes still open after the program ended: something it started holds them.
            captures["rounds"] += sweep()
            swept = True
        if status is not None and not open_fds:
            break
        for fd, _ in poller.poll(50 if open_fds or pidfd is not None else 5):
            if fd == pidfd:
                poller.unregister(pidfd)
                continue
            data = os.read(fd, 65536)
            if data:
                captures[streams[fd]].add(data)
            else:
                poller.unregister(fd)
                os.close(fd)
                open_fds.discard(fd)
        if status is not None and killed_by is not None:
            break
    for fd in open_fds:
        os.close(fd)
    if pidfd is not None:
        os.close(pidfd)
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    return {
        "stage": step["stage"],
        "exit_code": code if code is not None and code >= 0 else None,
        "signal": -code if code is not None and code < 0 else None,
        "killed_by": killed_by,
    }


def run_job(job, workdir):
    started = time.monotonic()
    captures = {"stdout": Capture(job["output_cap"]), "stderr": Capture(job["output_cap"]), "report": Capture(65536), "rounds": 0}
    oom_before = oom_kills()
    nonce = secrets.token_hex(16)
    steps = []
    files = job_files(job)
    make_job_folder(workdir)
    if any(step["argv"][0] == "go" for step in job["steps"]):
        job_go_cache(workdir)
    for i, step in enumerate(job["steps"]):
        result = run_step(job, step, files if i == 0 else None, captures, nonce, workdir)
        steps.append(result)
        if result["exit_code"] != 0:
            break
    leftover_rounds = captures.pop("rounds") + sweep()
    report = None
    for line in reversed(captures["report"].text().splitlines()):
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        if isinstance(parsed, dict) and parsed.get("nonce") == nonce:
            report = parsed
        break
    return {
        "id": job["id"],
        "steps": steps,
        "stdout": captures["stdout"].text(),
        "stderr": captures["stderr"].text(),
        "output_bytes": captures["stdout"].total + captures["stderr"].total,
        "report": report,
        "oom_kills": oom_kills() - oom_before,
        "leftover_rounds": leftover_rounds,
        "duration_s": round(time.monotonic() - started, 4),
    }


def main():
    remove_work()
    n = 0
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            # A name no earlier sample can guess: one that made the next job's folder in
            # advance would otherwise have that job refused (an error it did not earn).
            result = run_job(job, os.path.join(WORK, "job-%d-%s" % (n, secrets.token_hex(8))))
        except OSError as e:  # fork failing (pids exhausted) or the like: this job only
            sweep()
            result = {"id": job["id"], "runner_error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
        n += 1
        if n % CLEAN_EVERY == 0:
            remove_work()
        else:
            keep_scratch_free()
    remove_work()


main()
