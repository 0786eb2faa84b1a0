// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The system doctor inspects: files under --root, tools from PATH, run in the C locale. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysroot_linux.h"

static char kdrvctl_root[KDRVCTL_PATH];

void kdrvctl_sysroot_set(const char *root)
{
	size_t n;

	snprintf(kdrvctl_root, sizeof(kdrvctl_root), "%s", root);
	n = strlen(kdrvctl_root);
	while (n && kdrvctl_root[n - 1] == '/')
		kdrvctl_root[--n] = '\0';
}

bool kdrvctl_sysroot_is_real(void)
{
	return !kdrvctl_root[0];
}

static void kdrvctl_vfmt(char *out, size_t cap, const char *fmt, va_list ap)
{
	if (vsnprintf(out, cap, fmt, ap) >= (int)cap)
		out[0] = '\0'; /* a truncated path would name another file */
}

/* Formats a path into @out; one too long for it comes out empty, never cut short. */
char *kdrvctl_path(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kdrvctl_vfmt(out, cap, fmt, ap);
	va_end(ap);
	return out;
}

/*
 * Resolves @path as the system under @root sees it: symbolic links, absolute ones
 * included, stay inside @root (Debian's /lib/modules/K/build points into /usr/src).
 */
static void kdrvctl_resolve(const char *root, const char *path, char *out, size_t cap)
{
	char rest[KDRVCTL_PATH], link[KDRVCTL_PATH], tmp[KDRVCTL_PATH];
	size_t rootlen = strlen(root), olen, n;
	const char *comp, *after;
	struct stat st;
	int hops = 0;
	ssize_t l;

	snprintf(out, cap, "%s", root);
	snprintf(rest, sizeof(rest), "%s", path);
	for (;;) {
		comp = rest + strspn(rest, "/");
		if (!*comp)
			break;
		n = strcspn(comp, "/");
		after = comp + n;
		olen = strlen(out);
		if (n == 2 && !strncmp(comp, "..", 2)) {
			char *slash = strrchr(out + rootlen, '/');

			if (slash)
				*slash = '\0';
		} else if (!(n == 1 && comp[0] == '.')) {
			snprintf(out + olen, cap - olen, "/%.*s", (int)n, comp);
			if (!lstat(out, &st) && S_ISLNK(st.st_mode) && hops++ < 40 &&
			    (l = readlink(out, link, sizeof(link) - 1)) > 0) {
				link[l] = '\0';
				out[link[0] == '/' ? rootlen : olen] = '\0';
				if (!kdrvctl_path(tmp, sizeof(rest), "%s%s", link, after)[0]) {
					out[0] = '\0';
					return;
				}
				memcpy(rest, tmp, strlen(tmp) + 1);
				continue;
			}
		}
		memmove(rest, after, strlen(after) + 1);
	}
	if (!out[0])
		snprintf(out, cap, "/");
}

/* The file behind system path @fmt (under --root, if given), into @out. */
char *kdrvctl_sys(char *out, size_t cap, const char *fmt, ...)
{
	char path[KDRVCTL_PATH];
	va_list ap;

	va_start(ap, fmt);
	kdrvctl_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	kdrvctl_resolve(kdrvctl_root, path, out, cap);
	return out;
}

bool kdrvctl_sys_exists(const char *fmt, ...)
{
	char path[KDRVCTL_PATH], real[KDRVCTL_PATH];
	struct stat st;
	va_list ap;

	va_start(ap, fmt);
	kdrvctl_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	kdrvctl_resolve(kdrvctl_root, path, real, sizeof(real));
	return !stat(real, &st);
}

/* Reads at most @cap - 1 bytes of @path; returns the count, or -1. */
ssize_t kdrvctl_read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* Reads a system file's first line, without its newline; NULL when it is unreadable. */
char *kdrvctl_sys_line(char *buf, size_t cap, const char *fmt, ...)
{
	char path[KDRVCTL_PATH], real[KDRVCTL_PATH];
	va_list ap;

	va_start(ap, fmt);
	kdrvctl_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	kdrvctl_resolve(kdrvctl_root, path, real, sizeof(real));
	if (kdrvctl_read(real, buf, cap) < 0)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

char *kdrvctl_slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	size_t done = 0, size;
	struct stat st;
	char *buf;
	ssize_t n;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st)) {
		err = errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		err = EINVAL;
		goto out_close;
	}
	size = (size_t)st.st_size;
	buf = malloc(size + 1);
	if (!buf) {
		err = ENOMEM;
		goto out_close;
	}
	while (done < size) {
		n = read(fd, buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n ? errno : EIO; /* the file shrank under us */
			goto out_free;
		}
		done += (size_t)n;
	}
	buf[done] = '\0';
	if (len)
		*len = done;
	close(fd);
	return buf;
out_free:
	free(buf);
out_close:
	close(fd);
	errno = err;
	return NULL;
}

/* Finds @name as a shell would: in PATH, and on this system (no --root) in the sbin folders. */
bool kdrvctl_which(const char *name, char *out, size_t cap)
{
	char dirs[KDRVCTL_PATH], *dir, *save;
	const char *path = getenv("PATH");
	struct stat st;

	snprintf(dirs, sizeof(dirs), "%s%s", path ? path : "/usr/bin:/bin",
		 kdrvctl_root[0] ? "" : ":/usr/local/sbin:/usr/sbin:/sbin");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, cap, "%s/%s", dir, name);
		if (!stat(out, &st) && S_ISREG(st.st_mode) && !access(out, X_OK))
			return true;
	}
	out[0] = '\0';
	return false;
}

/*
 * Runs @argv in the C locale (so its words can be matched) with its stdout and
 * stderr in @out; returns its exit status, or -1 when it did not run or died.
 */
int kdrvctl_run(char *out, size_t cap, const char *const argv[])
{
	char exe[KDRVCTL_PATH], sink[512];
	size_t len = 0;
	int fds[2], status, null;
	ssize_t n;
	pid_t pid;

	out[0] = '\0';
	if (!kdrvctl_which(argv[0], exe, sizeof(exe)) || pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid) {
		null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		setenv("LC_ALL", "C", 1);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		bool room = len + 1 < cap;

		n = read(fds[0], room ? out + len : sink, room ? cap - 1 - len : sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (room)
			len += (size_t)n;
	}
	out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void kdrvctl_first_line(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

/* Appends ", @s" (or @s to an empty @buf); what does not fit is left out. */
void kdrvctl_append(char *buf, size_t cap, const char *s)
{
	size_t len = strlen(buf);

	snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", s);
}
