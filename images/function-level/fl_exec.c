/*
 * Starts one step of a function-level job: the runner (root) posix_spawns this in a new session
 * (no fork of the Python runner, whose every fork cost ~1 ms of copy-on-write and Python work
 * in the child). It becomes the slot's user first, then writes the job's files in the job's
 * folder (the runner made it), and execs the step.
 *
 * Usage: fl_exec UID NPROC WORKDIR CREATE STDIN_PATH EXE ARGV0 ARGS...
 * fd 5: the job's files when CREATE is 1, as records "<name length> <data length>\n<name><data>"
 * up to end of file. fds 1-4 are the step's stdout, stderr, report and nonce, set by the runner.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *step = "?";

static void fail(const char *what) {
  dprintf(2, "runner: cannot start %s: %s: %s\n", step, what, strerror(errno));
  _exit(127);
}

/* All of fd 5, read before anything else: the runner writes it right after the spawn. */
static char *read_spec(size_t *size) {
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (!buf) fail("memory");
  for (;;) {
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) fail("memory");
    }
    ssize_t n = read(5, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("reading the job's files");
    if (n == 0) break;
    len += (size_t)n;
  }
  *size = len;
  return buf;
}

static void write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("writing a file");
    data += n;
    len -= (size_t)n;
  }
}

/* The parents of a file below the job's folder (names come from the harness, not the sample). */
static void make_parents(char *path) {
  for (char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST) fail("making a folder");
    *slash = '/';
  }
}

static void write_files(const char *spec, size_t size) {
  size_t at = 0;
  while (at < size) {
    char *end;
    unsigned long name_len = strtoul(spec + at, &end, 10);
    unsigned long data_len = strtoul(end, &end, 10);
    if (*end != '\n') {
      errno = EINVAL;
      fail("reading the job's files");
    }
    at = (size_t)(end + 1 - spec);
    if (name_len == 0 || name_len > 4096 || at + name_len + data_len > size) {
      errno = EINVAL;
      fail("reading the job's files");
    }
    char name[4097];
    memcpy(name, spec + at, name_len);
    name[name_len] = '\0';
    at += name_len;
    make_parents(name);
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) fail("making a file");
    write_all(fd, spec + at, data_len);
    close(fd);
    at += data_len;
  }
}

int main(int argc, char **argv) {
  if (argc < 8) {
    dprintf(2, "usage: fl_exec UID NPROC WORKDIR CREATE STDIN_PATH EXE ARGV0 ARGS...\n");
    return 127;
  }
  uid_t uid = (uid_t)strtoul(argv[1], NULL, 10);
  rlim_t nproc = (rlim_t)strtoul(argv[2], NULL, 10);
  const char *workdir = argv[3];
  int create = strcmp(argv[4], "1") == 0;
  const char *stdin_path = argv[5];
  const char *exe = argv[6];
  step = argv[7];
  size_t spec_size = 0;
  char *spec = create ? read_spec(&spec_size) : NULL;
  close(5);

  /* The slot's user before touching any file: what follows cannot reach past that user. */
  if (uid == 0) {
    errno = EINVAL;
    fail("uid");
  }
  if (setgroups(0, NULL) != 0 || setresgid(uid, uid, uid) != 0 || setresuid(uid, uid, uid) != 0) fail("becoming the slot's user");
  if (getuid() != uid || geteuid() != uid) fail("becoming the slot's user");
  struct rlimit procs = {nproc, nproc}, core = {0, 0};
  if (setrlimit(RLIMIT_NPROC, &procs) != 0 || setrlimit(RLIMIT_CORE, &core) != 0) fail("limits");

  if (create) {
    if (chdir(workdir) != 0) fail("entering the job's folder");
    if (mkdir(".tmp", 0777) != 0) fail("making the job's .tmp");
    write_files(spec, spec_size);
    free(spec);
  } else if (chdir(workdir) != 0) {
    fail("entering the job's folder");
  }
  int in = open(stdin_path, O_RDONLY);
  if (in < 0 || dup2(in, 0) < 0) fail("stdin");
  if (in != 0) close(in);
  if (close_range(5, ~0U, 0) != 0) {
    for (int fd = 5; fd < 65536; fd++) close(fd);
  }
  execv(exe, argv + 7);
  fail("exec");
  return 127;
}
