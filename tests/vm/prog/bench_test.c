// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM benchmarks: kdrv's devices against what a user would use instead, in one boot.
 *
 * Prints one line per figure, "bench KIND SIZE SOURCE MEDIAN MIN MAX":
 *   random     MB/s of reads of SIZE bytes: kdrv-random, urandom, getrandom
 *   pipe-rate  MB/s through a writer thread and a reader: kdrv-pipe, pipe
 *   pipe-rtt   microseconds for one thread to write SIZE bytes and read them back
 * over ROUNDS rounds, the sources interleaved within each round in an order
 * that turns from round to round. Figures are printed, never judged.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "kdrv/abi.h"

#define MAX_SIZE (1 << 20)
#define MAX_ROUNDS 100

static const size_t sizes[] = { 16, 256, 4096, 65536, MAX_SIZE };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static unsigned char *buf, *back;
static int rounds;
static double seconds;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void read_full(int fd, unsigned char *to, size_t len, const char *what)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, to + done, len - done);

		if (n <= 0)
			FAIL("%s: read of %zu returned %zd (%s)", what, len - done, n,
			     n < 0 ? strerror(errno) : "end of file");
		done += (size_t)n;
	}
}

static void write_full(int fd, const unsigned char *from, size_t len, const char *what)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, from + done, len - done);

		if (n <= 0)
			FAIL("%s: write of %zu returned %zd (%s)", what, len - done, n,
			     n < 0 ? strerror(errno) : "nothing written");
		done += (size_t)n;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *kind, size_t size, const char *source, double *v)
{
	qsort(v, (size_t)rounds, sizeof(*v), cmp_double);
	printf("bench %s %zu %s %.3f %.3f %.3f\n", kind, size, source,
	       rounds % 2 ? v[rounds / 2] : (v[rounds / 2 - 1] + v[rounds / 2]) / 2, v[0],
	       v[rounds - 1]);
}

/* --- random: three sources of the same bytes */

enum { SRC_KDRV, SRC_URANDOM, SRC_GETRANDOM, NSRC };
static const char *const src_names[NSRC] = { "kdrv-random", "urandom", "getrandom" };
static int src_fd[NSRC];

static void random_fill(int src, size_t size)
{
	size_t done = 0;

	if (src != SRC_GETRANDOM) {
		read_full(src_fd[src], buf, size, src_names[src]);
		return;
	}
	while (done < size) {
		ssize_t n = getrandom(buf + done, size - done, 0);

		if (n < 0 && errno != EINTR)
			FAIL("getrandom(%zu): %s", size - done, strerror(errno));
		if (n > 0)
			done += (size_t)n;
	}
}

/* Reads in batches of about 64 KiB between clock reads, so the clock costs small reads little. */
static double random_rate(int src, size_t size)
{
	size_t batch = size >= 65536 ? 1 : 65536 / size, i, bytes = 0;
	double t0, t;

	random_fill(src, size);
	t0 = now();
	do {
		for (i = 0; i < batch; i++)
			random_fill(src, size);
		bytes += batch * size;
		t = now();
	} while (t - t0 < seconds);
	return (double)bytes / (t - t0) / 1e6;
}

static int b_random(void)
{
	static double v[NSIZES][NSRC][MAX_ROUNDS];
	size_t s;
	int r, k;

	src_fd[SRC_KDRV] = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	src_fd[SRC_URANDOM] = open_or_die("/dev/urandom", O_RDONLY);
	for (r = 0; r < rounds; r++)
		for (s = 0; s < NSIZES; s++)
			for (k = 0; k < NSRC; k++) {
				int src = (r + k) % NSRC;

				v[s][src][r] = random_rate(src, sizes[s]);
			}
	for (s = 0; s < NSIZES; s++)
		for (k = 0; k < NSRC; k++)
			report("random", sizes[s], src_names[k], v[s][k]);
	return 0;
}

/* --- pipe: kdrv_pipe (one FIFO for every opener) against a pipe(2) of the same capacity */

enum { CH_KDRV, CH_PIPE, NCH };
static const char *const ch_names[NCH] = { "kdrv-pipe", "pipe" };

struct channel {
	int rfd, wfd;
};

/* Capacities match: kdrv_pipe is loaded with capacity=1048576 by the suite. */
static void channel_open(int ch, struct channel *c)
{
	int fds[2];

	if (ch == CH_KDRV) {
		c->rfd = open_or_die(KDRV_LINUX_PIPE_DEV, O_RDONLY);
		c->wfd = open_or_die(KDRV_LINUX_PIPE_DEV, O_WRONLY);
		return;
	}
	if (pipe(fds))
		FAIL("pipe: %s", strerror(errno));
	if (fcntl(fds[1], F_SETPIPE_SZ, MAX_SIZE) < MAX_SIZE)
		FAIL("F_SETPIPE_SZ %d: %s", MAX_SIZE, strerror(errno));
	c->rfd = fds[0];
	c->wfd = fds[1];
}

struct writer {
	int fd;
	size_t size;
	int stop;
};

static void *writer_run(void *arg)
{
	struct writer *w = arg;

	while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED))
		write_full(w->fd, buf, w->size, "writer");
	close(w->fd);
	return NULL;
}

/* A writer thread streams SIZE-byte writes; this thread reads SIZE at a time until time is up. */
static double pipe_rate(int ch, size_t size)
{
	struct channel c;
	struct writer w;
	pthread_t thread;
	size_t bytes = 0;
	double t0, t;
	ssize_t n;

	channel_open(ch, &c);
	w = (struct writer){ .fd = c.wfd, .size = size };
	if (pthread_create(&thread, NULL, writer_run, &w))
		FAIL("pthread_create failed");
	/* The clock starts once the writer runs, not while the thread is being scheduled. */
	if (read(c.rfd, back, size) <= 0)
		FAIL("%s: first read of %zu failed", ch_names[ch], size);
	t0 = now();
	do {
		n = read(c.rfd, back, size);
		if (n <= 0)
			FAIL("%s: read of %zu returned %zd (%s)", ch_names[ch], size, n,
			     n < 0 ? strerror(errno) : "end of file");
		bytes += (size_t)n;
		t = now();
	} while (t - t0 < seconds);
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELAXED);
	/* Drained to end of file, so the next measurement starts with an empty FIFO. */
	while ((n = read(c.rfd, back, MAX_SIZE)) > 0)
		;
	if (n < 0)
		FAIL("%s: draining: %s", ch_names[ch], strerror(errno));
	pthread_join(thread, NULL);
	close(c.rfd);
	return (double)bytes / (t - t0) / 1e6;
}

static double pipe_rtt(int ch, size_t size)
{
	struct channel c;
	long trips = 0;
	double t0, t;

	channel_open(ch, &c);
	write_full(c.wfd, buf, size, ch_names[ch]);
	read_full(c.rfd, back, size, ch_names[ch]);
	t0 = now();
	do {
		write_full(c.wfd, buf, size, ch_names[ch]);
		read_full(c.rfd, back, size, ch_names[ch]);
		trips++;
		t = now();
	} while (t - t0 < seconds);
	close(c.wfd);
	close(c.rfd);
	return (t - t0) * 1e6 / (double)trips;
}

static int b_pipe(void)
{
	static double rate[NSIZES][NCH][MAX_ROUNDS], rtt[NSIZES][NCH][MAX_ROUNDS];
	size_t s;
	int r, k;

	for (r = 0; r < rounds; r++)
		for (s = 0; s < NSIZES; s++)
			for (k = 0; k < NCH; k++) {
				int ch = (r + k) % NCH;

				rate[s][ch][r] = pipe_rate(ch, sizes[s]);
				rtt[s][ch][r] = pipe_rtt(ch, sizes[s]);
			}
	for (s = 0; s < NSIZES; s++)
		for (k = 0; k < NCH; k++) {
			report("pipe-rate", sizes[s], ch_names[k], rate[s][k]);
			report("pipe-rtt", sizes[s], ch_names[k], rtt[s][k]);
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "random") && strcmp(argv[1], "pipe"))) {
		fprintf(stderr, "usage: %s random|pipe ROUNDS MILLISECONDS\n", argv[0]);
		return 2;
	}
	rounds = (int)arg_num(argv[2]);
	seconds = (double)arg_num(argv[3]) / 1000;
	if (rounds < 1 || rounds > MAX_ROUNDS || seconds <= 0) {
		fprintf(stderr, "expected 1-%d rounds and a positive time; saw %s and %s\n",
			MAX_ROUNDS, argv[2], argv[3]);
		return 2;
	}
	buf = malloc(MAX_SIZE);
	back = malloc(MAX_SIZE);
	if (!buf || !back)
		FAIL("malloc");
	memset(buf, 0x5a, MAX_SIZE);
	memset(back, 0, MAX_SIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return strcmp(argv[1], "random") ? b_pipe() : b_random();
}
