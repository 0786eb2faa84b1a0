// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM assertions about /dev/kdrv-roulette: offsets, EOF, lseek, booms, sampler statistics. */
#include <math.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "kdrv/abi.h"

static int t_survive(char **args)
{
	int chance = (int)arg_num(args[0]);
	int fd = open_or_die(KDRV_LINUX_ROULETTE_DEV, O_RDONLY);
	char a[128] = { 0 }, b[128] = { 0 }, expect[128];
	ssize_t n1, n2, n3;
	unsigned int v;

	n1 = read(fd, a, 5);
	n2 = read(fd, a + 5, sizeof(a) - 6);
	if (n1 != 5 || n2 <= 0)
		FAIL("short reads returned %zd then %zd", n1, n2);
	if (sscanf(a, "Survived... sampled value is %u", &v) != 1 || v >= 100 || (int)v < chance)
		FAIL("unexpected text '%s'", a);
	snprintf(expect, sizeof(expect), "Survived... sampled value is %u, which is >= %d\n", v,
		 chance);
	if (strcmp(a, expect))
		FAIL("text '%s', expected '%s'", a, expect);
	n3 = read(fd, b, sizeof(b));
	if (n3 != 0)
		FAIL("read after the message returned %zd, expected EOF", n3);
	if (lseek(fd, 0, SEEK_SET) != 0)
		FAIL("lseek to 0: %s", strerror(errno));
	if (read(fd, b, sizeof(b) - 1) != (ssize_t)strlen(expect) || strcmp(a, b))
		FAIL("re-read after lseek gave '%s'", b);
	return 0;
}

static int t_boom_eio(char **args)
{
	int fd = open_or_die(KDRV_LINUX_ROULETTE_DEV, O_RDONLY);
	char buf[64];

	(void)args;
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EIO, "read of a boomed spin");
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EIO, "second read of a boomed spin");
	return 0;
}

/* Reads the boomed device; with boom=oops the kernel kills us here and this never returns. */
static int t_boom_read(char **args)
{
	int fd = open_or_die(KDRV_LINUX_ROULETTE_DEV, O_RDONLY);
	char buf[64];
	ssize_t n;

	(void)args;
	n = read(fd, buf, sizeof(buf));
	printf("read returned %zd (%s)\n", n, n < 0 ? strerror(errno) : "");
	return 1;
}

/*
 * One boomed file, shared: a child reads it first (and is killed by an oops, or
 * gets EIO), then the parent reads it twice. Only the first read may boom.
 */
static int t_boom_shared(char **args)
{
	int fd = open_or_die(KDRV_LINUX_ROULETTE_DEV, O_RDONLY), status;
	pid_t child;
	char buf[64];

	(void)args;
	child = fork();
	if (child == 0)
		_exit(read(fd, buf, sizeof(buf)) < 0 && errno == EIO ? 0 : 1);
	if (child < 0 || waitpid(child, &status, 0) != child)
		FAIL("fork or wait: %s", strerror(errno));
	if (!WIFSIGNALED(status) && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		FAIL("the child's read neither failed with EIO nor killed it: status 0x%x", status);
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EIO, "the parent's read after the boom");
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EIO, "the parent's second read");
	printf("the child %s; the parent got EIO twice\n",
	       WIFSIGNALED(status) ? "was killed" : "got EIO");
	return 0;
}

/* Writes "nope" to the chance parameter @args[0] times; prints the milliseconds it took. */
static int t_param_flood(char **args)
{
	long n = (long)arg_num(args[0]), i;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		int fd = open_or_die("/sys/module/kdrv_roulette/parameters/chance", O_WRONLY);

		EXPECT_ERRNO(write(fd, "nope", 4), EINVAL, "a rejected chance");
		close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld\n",
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	return 0;
}

/* @args[0] spins at the module's chance @args[1]: the boom count within 6 sigma, all V seen. */
static int t_stats(char **args)
{
	long n = (long)arg_num(args[0]), i, booms = 0;
	double p = (double)arg_num(args[1]) / 100.0, mean, sd;
	int seen[100] = { 0 }, distinct = 0;
	char buf[128];
	unsigned int v;

	for (i = 0; i < n; i++) {
		int fd = open_or_die(KDRV_LINUX_ROULETTE_DEV, O_RDONLY);
		ssize_t r = read(fd, buf, sizeof(buf) - 1);

		close(fd);
		if (r < 0 && errno == EIO) {
			booms++;
			continue;
		}
		if (r <= 0)
			FAIL("spin %ld: read returned %zd (%s)", i, r, strerror(errno));
		buf[r] = '\0';
		if (sscanf(buf, "Survived... sampled value is %u", &v) != 1 || v >= 100)
			FAIL("spin %ld: text '%s'", i, buf);
		distinct += !seen[v]++;
	}
	mean = n * p;
	sd = sqrt(n * p * (1 - p));
	printf("%ld spins, %ld booms (expected %.0f +- %.0f), %d distinct survivor values\n", n,
	       booms, mean, sd, distinct);
	if (fabs((double)booms - mean) > 6 * sd)
		FAIL("%ld booms is more than 6 sigma from %.1f", booms, mean);
	if (distinct != 100 - (int)(p * 100 + 0.5))
		FAIL("survivors showed %d distinct values, expected every V from %d to 99",
		     distinct, (int)(p * 100 + 0.5));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct test_cmd cmds[] = {
		{ "survive", 1, t_survive },
		{ "boom-eio", 0, t_boom_eio },
		{ "boom-read", 0, t_boom_read },
		{ "boom-shared", 0, t_boom_shared },
		{ "param-flood", 1, t_param_flood },
		{ "stats", 2, t_stats },
		{ NULL, 0, NULL },
	};

	return run_cmd(cmds, argc, argv);
}
