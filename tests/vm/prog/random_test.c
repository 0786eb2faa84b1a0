// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM assertions about /dev/kdrv-random: sizes, readv, faults, signals, writes, holding it open.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"
#include "kdrv/abi.h"

static unsigned char *map(size_t len)
{
	void *p =
	    mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		FAIL("mmap %zu: %s", len, strerror(errno));
	return p;
}

/* A random buffer of 64+ bytes is never all one value nor all zero in practice. */
static void expect_not_constant(const unsigned char *b, size_t len, const char *what)
{
	size_t i, same = 0;

	for (i = 1; i < len; i++)
		same += b[i] == b[0];
	if (len >= 64 && same == len - 1)
		FAIL("%s: all %zu bytes are 0x%02x", what, len, b[0]);
}

static int t_size(char **args)
{
	size_t len = (size_t)arg_num(args[0]);
	unsigned char *buf = map(len);
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	ssize_t n = read(fd, buf, len);

	if (n < 0 || (size_t)n != len)
		FAIL("read(%zu) returned %zd (%s)", len, n, n < 0 ? strerror(errno) : "short");
	expect_not_constant(buf, len, "read");
	return 0;
}

static int t_differ(char **args)
{
	size_t len = (size_t)arg_num(args[0]);
	unsigned char *a = map(len), *b = map(len);
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);

	if (read(fd, a, len) != (ssize_t)len || read(fd, b, len) != (ssize_t)len)
		FAIL("reads of %zu bytes were short", len);
	if (!memcmp(a, b, len))
		FAIL("two reads of %zu bytes returned the same bytes", len);
	return 0;
}

static int t_readv(char **args)
{
	unsigned char a[100] = { 0 }, b[4096] = { 0 }, c[1] = { 0 };
	struct iovec iov[] = { { a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) } };
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	ssize_t n = readv(fd, iov, 3);

	(void)args;
	if (n != (ssize_t)(sizeof(a) + sizeof(b) + sizeof(c)))
		FAIL("readv of 100+4096+1 returned %zd", n);
	expect_not_constant(a, sizeof(a), "first iovec");
	expect_not_constant(b, sizeof(b), "second iovec");
	return 0;
}

static int t_efault(char **args)
{
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	/* volatile: the compiler would otherwise reject the deliberate bad pointer. */
	void *volatile bad = (void *)8;

	(void)args;
	EXPECT_ERRNO(read(fd, bad, 64), EFAULT, "read into address 8");
	return 0;
}

/* A buffer whose second page is unmapped: the first page is delivered and counted. */
static int t_partial(char **args)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *buf = map(2 * (size_t)page);
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	ssize_t n;

	(void)args;
	if (munmap(buf + page, (size_t)page))
		FAIL("munmap: %s", strerror(errno));
	n = read(fd, buf, 2 * (size_t)page);
	if (n != page)
		FAIL("read of 2 pages into 1 mapped page returned %zd, expected %ld", n, page);
	expect_not_constant(buf, (size_t)page, "first page");
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal during a long read ends it with the bytes already copied. */
static int t_signal(char **args)
{
	size_t len = (size_t)arg_num(args[0]);
	unsigned char *buf = map(len);
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 200000 } };
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	ssize_t n;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(fd, buf, len);
	if (n <= 0 || (size_t)n >= len)
		FAIL("read(%zu) with a signal after 0.2 s returned %zd (%s); expected a partial "
		     "count",
		     len, n, n < 0 ? strerror(errno) : "");
	printf("interrupted after %zd of %zu bytes\n", n, len);
	return 0;
}

static int t_write(char **args)
{
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_WRONLY);

	(void)args;
	EXPECT_ERRNO(write(fd, "x", 1), EPERM, "write");
	return 0;
}

/* Holds the device open until killed; creates @args[0] once open so a script can wait. */
static int t_hold(char **args)
{
	int fd = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	int ready = open(args[0], O_CREAT | O_WRONLY, 0644);
	unsigned char b[64];

	if (ready < 0)
		FAIL("create %s: %s", args[0], strerror(errno));
	close(ready);
	for (;;) {
		if (read(fd, b, sizeof(b)) != sizeof(b))
			FAIL("read while held: %s", strerror(errno));
		usleep(10000);
	}
}

int main(int argc, char **argv)
{
	static const struct test_cmd cmds[] = {
		{ "size", 1, t_size },	   { "differ", 1, t_differ },	{ "readv", 0, t_readv },
		{ "efault", 0, t_efault }, { "partial", 0, t_partial }, { "signal", 1, t_signal },
		{ "write", 0, t_write },   { "hold", 1, t_hold },	{ NULL, 0, NULL },
	};

	return run_cmd(cmds, argc, argv);
}
