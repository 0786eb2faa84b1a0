// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM assertions about /dev/kdrv-random: sizes, readv, faults, signals, writes, holding it open.
 */
#include <pthread.h>
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

/* KDRV_RANDOM_DEV names another source, to try the statistics on /dev/urandom. */
static const char *random_dev(void)
{
	const char *dev = getenv("KDRV_RANDOM_DEV");

	return dev ? dev : KDRV_LINUX_RANDOM_DEV;
}

/* Reads @len bytes in 64 KiB reads from one open file. */
static unsigned char *read_all(size_t len)
{
	unsigned char *buf = map(len);
	int fd = open_or_die(random_dev(), O_RDONLY);
	size_t done = 0;

	while (done < len) {
		size_t want = len - done < 65536 ? len - done : 65536;
		ssize_t n = read(fd, buf + done, want);

		if (n <= 0)
			FAIL("read of %zu at %zu returned %zd (%s)", want, done, n,
			     n < 0 ? strerror(errno) : "end of file");
		done += (size_t)n;
	}
	close(fd);
	return buf;
}

static int bit_at(const unsigned char *b, size_t i)
{
	return (b[i / 8] >> (7 - i % 8)) & 1;
}

/* The four FIPS 140-2 tests (as rngtest runs them) on one 20000-bit block; 0 when all pass. */
static int fips_block(const unsigned char *b)
{
	static const int run_lo[6] = { 2315, 1114, 527, 240, 103, 103 };
	static const int run_hi[6] = { 2685, 1386, 723, 384, 209, 209 };
	int ones = 0, nibbles[16] = { 0 }, runs[2][6] = { { 0 } };
	int i, run = 1, longest = 1, fails = 0;
	double poker = 0;

	for (i = 0; i < 2500; i++) {
		ones += __builtin_popcount(b[i]);
		nibbles[b[i] >> 4]++;
		nibbles[b[i] & 15]++;
	}
	for (i = 1; i <= 20000; i++) {
		if (i < 20000 && bit_at(b, i) == bit_at(b, i - 1)) {
			run++;
			continue;
		}
		runs[bit_at(b, i - 1)][run < 6 ? run - 1 : 5]++;
		longest = run > longest ? run : longest;
		run = 1;
	}
	for (i = 0; i < 16; i++)
		poker += (double)nibbles[i] * nibbles[i];
	poker = poker * 16 / 5000 - 5000;
	fails += ones <= 9725 || ones >= 10275;
	fails += poker <= 2.16 || poker >= 46.17;
	for (i = 0; i < 12; i++)
		if (runs[i / 6][i % 6] < run_lo[i % 6] || runs[i / 6][i % 6] > run_hi[i % 6]) {
			fails++;
			break;
		}
	fails += longest >= 26;
	return fails;
}

/*
 * FIPS 140-2 on @bytes (2500 per block), as `rngtest` does. A good generator
 * fails about 1 block in 1000 (each test's bounds leave about 1e-4); more
 * than @max failed blocks fails the test.
 */
static int t_fips(char **args)
{
	size_t len = (size_t)arg_num(args[0]), blocks = len / 2500, i;
	long max = (long)arg_num(args[1]), failed = 0;
	unsigned char *buf = read_all(len);

	if (!blocks)
		FAIL("expected at least 2500 bytes; saw %zu", len);
	for (i = 0; i < blocks; i++)
		failed += fips_block(buf + i * 2500) != 0;
	printf("FIPS 140-2: %zu blocks, %ld failed\n", blocks, failed);
	if (failed > max)
		FAIL("expected at most %ld of %zu FIPS 140-2 blocks to fail; %ld failed", max,
		     blocks, failed);
	return 0;
}

/*
 * Byte histogram of @bytes: every value present and Pearson's chi-square
 * below 377, which uniform bytes exceed with probability 1e-6 (255 degrees
 * of freedom).
 */
static int t_histogram(char **args)
{
	size_t len = (size_t)arg_num(args[0]), counts[256] = { 0 }, i, least = (size_t)-1;
	unsigned char *buf = read_all(len);
	double expect = (double)len / 256, chi2 = 0;

	for (i = 0; i < len; i++)
		counts[buf[i]]++;
	for (i = 0; i < 256; i++) {
		chi2 += (counts[i] - expect) * (counts[i] - expect) / expect;
		least = counts[i] < least ? counts[i] : least;
	}
	printf("histogram of %zu bytes: chi-square %.1f, rarest value %zu times\n", len, chi2,
	       least);
	if (!least || chi2 >= 377)
		FAIL("expected every byte value and chi-square < 377; rarest %zu, chi-square %.1f",
		     least, chi2);
	return 0;
}

static int cmp_block(const void *a, const void *b)
{
	return memcmp(*(unsigned char *const *)a, *(unsigned char *const *)b, 64);
}

/* No 64-byte block (a ChaCha20 block) appears twice across @n buffers of @len bytes. */
static void expect_no_repeated_block(unsigned char **bufs, size_t n, size_t len)
{
	size_t per = len / 64, i, j;
	unsigned char **blocks = malloc(n * per * sizeof(*blocks));

	if (!blocks)
		FAIL("malloc");
	for (i = 0; i < n; i++)
		for (j = 0; j < per; j++)
			blocks[i * per + j] = bufs[i] + j * 64;
	qsort(blocks, n * per, sizeof(*blocks), cmp_block);
	for (i = 1; i < n * per; i++)
		if (!memcmp(blocks[i - 1], blocks[i], 64))
			FAIL("a 64-byte block appears twice among %zu blocks of %zu reads", n * per,
			     n);
	free(blocks);
}

/* One read of @len bytes repeats no block: the stream's counter moves on. */
static int t_blocks(char **args)
{
	size_t len = (size_t)arg_num(args[0]);
	unsigned char *buf = map(len);
	int fd = open_or_die(random_dev(), O_RDONLY);

	if (read(fd, buf, len) != (ssize_t)len)
		FAIL("read of %zu bytes was short", len);
	expect_no_repeated_block(&buf, 1, len);
	return 0;
}

#define READERS 8
#define READER_LEN 65536

struct reader {
	pthread_t thread;
	pthread_barrier_t *start;
	int fd;
	unsigned char *buf;
	ssize_t got;
};

static void *reader_run(void *arg)
{
	struct reader *r = arg;

	pthread_barrier_wait(r->start);
	r->got = read(r->fd, r->buf, READER_LEN);
	return NULL;
}

/*
 * Eight readers at once, six on files of their own and two sharing one:
 * no block of output appears twice, so no key is shared between them.
 */
static int t_concurrent(char **args)
{
	struct reader r[READERS];
	unsigned char *bufs[READERS];
	pthread_barrier_t start;
	int i, shared = open_or_die(random_dev(), O_RDONLY);

	(void)args;
	pthread_barrier_init(&start, NULL, READERS);
	for (i = 0; i < READERS; i++) {
		r[i].start = &start;
		r[i].fd = i < 2 ? shared : open_or_die(random_dev(), O_RDONLY);
		r[i].buf = bufs[i] = map(READER_LEN);
		if (pthread_create(&r[i].thread, NULL, reader_run, &r[i]))
			FAIL("pthread_create failed");
	}
	for (i = 0; i < READERS; i++) {
		pthread_join(r[i].thread, NULL);
		if (r[i].got != READER_LEN)
			FAIL("reader %d got %zd of %d bytes", i, r[i].got, READER_LEN);
	}
	expect_no_repeated_block(bufs, READERS, READER_LEN);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct test_cmd cmds[] = {
		{ "size", 1, t_size },	     { "differ", 1, t_differ },
		{ "readv", 0, t_readv },     { "efault", 0, t_efault },
		{ "partial", 0, t_partial }, { "signal", 1, t_signal },
		{ "write", 0, t_write },     { "hold", 1, t_hold },
		{ "fips", 2, t_fips },	     { "histogram", 1, t_histogram },
		{ "blocks", 1, t_blocks },   { "concurrent", 0, t_concurrent },
		{ NULL, 0, NULL },
	};

	return run_cmd(cmds, argc, argv);
}
