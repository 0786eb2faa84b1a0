// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM benchmarks: kdrv's devices against what a user would use instead, in one boot.
 *
 * Prints one line per figure, "bench KIND SIZE SOURCE MEDIAN MIN MAX":
 *   random     MB/s of reads of SIZE bytes: kdrv-random, urandom, getrandom
 *   pipe-rate  MB/s from a writer thread to a reader, SIZE bytes per call: kdrv-pipe, pipe
 *   pipe-rtt   microseconds for one thread to write SIZE bytes and read them back
 * and, for each, the ratio of kdrv's figure to the other's within each round
 * ("bench random-ratio SIZE kdrv-random/urandom ...", pipe-rate-ratio, pipe-rtt-ratio),
 * over ROUNDS rounds. Within a round the sources take turns in slices of
 * about 16 KiB (at least one call) until each has run for the time asked, so
 * that a host busy with other work slows them all alike; the order of the
 * turns changes from round to round. Figures are printed, never judged.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
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

/* The ratio of @a to @b round by round, reported like a figure. */
static void report_ratio(const char *kind, size_t size, const char *a_name, const double *a,
			 const char *b_name, const double *b)
{
	double q[MAX_ROUNDS];
	char name[64];
	int r;

	for (r = 0; r < rounds; r++)
		q[r] = a[r] / b[r];
	snprintf(name, sizeof(name), "%s/%s", a_name, b_name);
	report(kind, size, name, q);
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

/* Calls per slice: about 16 KiB, at least one call. */
static size_t slice_calls(size_t size)
{
	return size >= 16384 ? 1 : 16384 / size;
}

struct tally {
	double secs, bytes;
};

static void random_slice(int src, size_t size, struct tally *t)
{
	size_t n = slice_calls(size), i;
	double t0 = now();

	for (i = 0; i < n; i++)
		random_fill(src, size);
	t->secs += now() - t0;
	t->bytes += (double)(n * size);
}

static int b_random(void)
{
	static double v[NSIZES][NSRC][MAX_ROUNDS];
	struct tally t[NSRC];
	size_t s;
	int r, k;

	src_fd[SRC_KDRV] = open_or_die(KDRV_LINUX_RANDOM_DEV, O_RDONLY);
	src_fd[SRC_URANDOM] = open_or_die("/dev/urandom", O_RDONLY);
	for (r = 0; r < rounds; r++)
		for (s = 0; s < NSIZES; s++) {
			memset(t, 0, sizeof(t));
			for (k = 0; k < NSRC; k++)
				random_fill(k, sizes[s]);
			while (t[0].secs < seconds || t[1].secs < seconds || t[2].secs < seconds)
				for (k = 0; k < NSRC; k++)
					random_slice((r + k) % NSRC, sizes[s], &t[(r + k) % NSRC]);
			for (k = 0; k < NSRC; k++)
				v[s][k][r] = t[k].bytes / t[k].secs / 1e6;
		}
	for (s = 0; s < NSIZES; s++) {
		report_ratio("random-ratio", sizes[s], src_names[SRC_KDRV], v[s][SRC_KDRV],
			     src_names[SRC_URANDOM], v[s][SRC_URANDOM]);
		report_ratio("random-ratio", sizes[s], src_names[SRC_KDRV], v[s][SRC_KDRV],
			     src_names[SRC_GETRANDOM], v[s][SRC_GETRANDOM]);
		for (k = 0; k < NSRC; k++)
			report("random", sizes[s], src_names[k], v[s][k]);
	}
	return 0;
}

/* --- pipe: kdrv_pipe (one FIFO for every opener) against a pipe(2) of the same capacity */

enum { CH_KDRV, CH_PIPE, NCH };
static const char *const ch_names[NCH] = { "kdrv-pipe", "pipe" };

/*
 * Each channel has a writer thread that sleeps until told to write a slice;
 * the reader times the slice from the word go to its last byte.
 */
struct channel {
	int ch, rfd, wfd;
	size_t size, todo;
	bool quit;
	sem_t go;
	pthread_t writer;
};

/* Capacities match: kdrv_pipe is loaded with capacity=1048576 by the suite. */
static void channel_open(int ch, struct channel *c)
{
	int fds[2];

	c->ch = ch;
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

static void *writer_run(void *arg)
{
	struct channel *c = arg;
	size_t done;

	for (;;) {
		sem_wait(&c->go);
		if (c->quit)
			break;
		for (done = 0; done < c->todo; done += c->size)
			write_full(c->wfd, buf, c->size, "writer");
	}
	close(c->wfd);
	return NULL;
}

static void channel_start(struct channel *c, size_t size)
{
	c->size = size;
	c->todo = slice_calls(size) * size;
	c->quit = false;
	sem_init(&c->go, 0, 0);
	if (pthread_create(&c->writer, NULL, writer_run, c))
		FAIL("pthread_create failed");
}

/* The writer closes its end; draining to end of file shows nothing was left behind. */
static void channel_stop(struct channel *c)
{
	ssize_t n, left = 0;

	c->quit = true;
	sem_post(&c->go);
	while ((n = read(c->rfd, back, MAX_SIZE)) > 0)
		left += n;
	if (n < 0 || left)
		FAIL("%s: %zd bytes left over, last read %zd (%s)", ch_names[c->ch], left, n,
		     n < 0 ? strerror(errno) : "end of file");
	pthread_join(c->writer, NULL);
	sem_destroy(&c->go);
	close(c->rfd);
}

static void rate_slice(struct channel *c, struct tally *t)
{
	double t0 = now();

	sem_post(&c->go);
	read_full(c->rfd, back, c->todo, ch_names[c->ch]);
	t->secs += now() - t0;
	t->bytes += (double)c->todo;
}

/* The writer is idle between slices, so this thread has the channel to itself. */
static void rtt_slice(struct channel *c, struct tally *t)
{
	size_t n = slice_calls(c->size), i;
	double t0 = now();

	for (i = 0; i < n; i++) {
		write_full(c->wfd, buf, c->size, ch_names[c->ch]);
		read_full(c->rfd, back, c->size, ch_names[c->ch]);
	}
	t->secs += now() - t0;
	t->bytes += (double)n;
}

static int b_pipe(void)
{
	static double rate[NSIZES][NCH][MAX_ROUNDS], rtt[NSIZES][NCH][MAX_ROUNDS];
	struct channel c[NCH];
	struct tally tr[NCH], tt[NCH];
	size_t s;
	int r, k;

	for (s = 0; s < NSIZES; s++) {
		for (k = 0; k < NCH; k++) {
			channel_open(k, &c[k]);
			channel_start(&c[k], sizes[s]);
		}
		for (r = 0; r < rounds; r++) {
			memset(tr, 0, sizeof(tr));
			memset(tt, 0, sizeof(tt));
			while (tr[0].secs < seconds || tr[1].secs < seconds)
				for (k = 0; k < NCH; k++)
					rate_slice(&c[(r + k) % NCH], &tr[(r + k) % NCH]);
			while (tt[0].secs < seconds || tt[1].secs < seconds)
				for (k = 0; k < NCH; k++)
					rtt_slice(&c[(r + k) % NCH], &tt[(r + k) % NCH]);
			for (k = 0; k < NCH; k++) {
				rate[s][k][r] = tr[k].bytes / tr[k].secs / 1e6;
				rtt[s][k][r] = tt[k].secs * 1e6 / tt[k].bytes;
			}
		}
		for (k = 0; k < NCH; k++)
			channel_stop(&c[k]);
	}
	for (s = 0; s < NSIZES; s++) {
		report_ratio("pipe-rate-ratio", sizes[s], ch_names[CH_KDRV], rate[s][CH_KDRV],
			     ch_names[CH_PIPE], rate[s][CH_PIPE]);
		report_ratio("pipe-rtt-ratio", sizes[s], ch_names[CH_KDRV], rtt[s][CH_KDRV],
			     ch_names[CH_PIPE], rtt[s][CH_PIPE]);
		for (k = 0; k < NCH; k++) {
			report("pipe-rate", sizes[s], ch_names[k], rate[s][k]);
			report("pipe-rtt", sizes[s], ch_names[k], rtt[s][k]);
		}
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
