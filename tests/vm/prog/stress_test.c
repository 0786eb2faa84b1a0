// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM stress of every kdrv device: users across load/unload storms, a threaded mix, a fuzzer. */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "kdrv/abi.h"
#include "check.h"

enum stress_dev { S_RANDOM, S_ROULETTE, S_PROCINFO, S_PIPE, S_NR };

static const char *const stress_paths[S_NR] = {
	KDRV_LINUX_RANDOM_DEV,
	KDRV_LINUX_ROULETTE_DEV,
	KDRV_LINUX_PROCINFO_DEV,
	KDRV_LINUX_PIPE_DEV,
};

static const char *const stress_names[S_NR] = { "random", "roulette", "procinfo", "pipe" };

/* Per device: operations done, and results no documented behaviour allows. */
static long stress_ops[S_NR];
static long stress_bad[S_NR];
static char *stress_page_end;

/* xorshift64*: seeded, so a run can be repeated exactly (single-threaded parts). */
static uint64_t stress_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static double stress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void stress_bad_result(enum stress_dev d, const char *op, long ret, int err)
{
	__atomic_add_fetch(&stress_bad[d], 1, __ATOMIC_RELAXED);
	fprintf(stderr, "%s: %s returned %ld (%s): no documented behaviour gives that\n",
		stress_names[d], op, ret, ret < 0 ? strerror(err) : "no error");
}

/* A buffer whose last 64 bytes are followed by an unmapped page, for short copies. */
static void stress_map_edge(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map =
	    mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (map == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	munmap(map + page, page);
	stress_page_end = map + page;
}

/*
 * One operation on an open device, chosen by @r, with only results the README
 * documents accepted. The pipe is opened non-blocking, so nothing here waits.
 * @stream: the pipe carries a checked stream meanwhile; take none of its bytes.
 */
static void stress_op(enum stress_dev d, int fd, uint64_t r, bool stream)
{
	static __thread char buf[65536];
	struct kdrv_procinfo info = { .size = sizeof(info) };
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	size_t len = (size_t)(r >> 8) % sizeof(buf);
	long ret;
	int e;

	__atomic_add_fetch(&stress_ops[d], 1, __ATOMIC_RELAXED);
	switch (r % 8) {
	case 0:
	case 1: /* read into good memory */
		if (d == S_PIPE && stream)
			len = 0;
		ret = read(fd, buf, len);
		e = errno;
		if ((d == S_RANDOM && ret != (long)len) ||
		    (d == S_ROULETTE && ret < 0 && e != EIO) ||
		    (d == S_PROCINFO && !(ret == -1 && e == EINVAL)) ||
		    (d == S_PIPE && ret < 0 && e != EAGAIN))
			stress_bad_result(d, "read", ret, e);
		break;
	case 2: /* read into memory that ends after 64 bytes, or a bad pointer */
		if (d == S_PIPE && stream)
			break;
		ret = read(fd, r & 0x100 ? stress_page_end - 64 : (char *)8, 64 + len % 4096);
		e = errno;
		if ((d == S_RANDOM && !(ret == 64 || (ret == -1 && e == EFAULT))) ||
		    (d == S_PIPE && ret < 0 && e != EAGAIN && e != EFAULT) ||
		    (d == S_PROCINFO && !(ret == -1 && e == EINVAL)) ||
		    (d == S_ROULETTE && ret < 0 && e != EIO && e != EFAULT))
			stress_bad_result(d, "short read", ret, e);
		break;
	case 3: /* write */
		if (d == S_PIPE && stream)
			len = 0;
		ret = write(fd, buf, len);
		e = errno;
		if ((d == S_RANDOM && !(ret == -1 && e == EPERM)) ||
		    ((d == S_ROULETTE || d == S_PROCINFO) && !(ret == -1 && e == EINVAL)) ||
		    (d == S_PIPE && ret < 0 && e != EAGAIN))
			stress_bad_result(d, "write", ret, e);
		break;
	case 4: /* the procinfo ioctl, with a pid near ours or anything, and a size that varies */
		info.pid = r & 0x10000 ? getpid() + (int)(r >> 20) % 4 : (int32_t)(r >> 32);
		info.size = r & 0x20000 ? sizeof(info) : (uint32_t)(r >> 40) % 128;
		ret = ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, r & 0x40000 ? &info : (void *)8);
		e = errno;
		if ((d == S_PROCINFO && ret && e != ESRCH && e != EINVAL && e != EFAULT) ||
		    (d != S_PROCINFO && !(ret == -1 && e == ENOTTY)))
			stress_bad_result(d, "ioctl", ret, e);
		break;
	case 5: /* an ioctl code of kdrv's type ('k') that is not procinfo's */
		ret = ioctl(fd, ((unsigned int)(r >> 16) & 0xffff00ffu) | 0x6b00u, buf);
		e = errno;
		if (!(ret == -1 && e == ENOTTY) && (((unsigned int)(r >> 16) & 0xffff00ffu) |
						    0x6b00u) != KDRV_IOCTL_PROCINFO_LINUX)
			stress_bad_result(d, "unknown ioctl", ret, e);
		break;
	case 6:
		ret = poll(&p, 1, 0);
		if (ret < 0)
			stress_bad_result(d, "poll", ret, errno);
		break;
	default:
		ret = lseek(fd, (off_t)(r >> 32) % 128, SEEK_SET);
		e = errno;
		if ((d == S_ROULETTE && ret < 0) ||
		    (d != S_ROULETTE && !(ret == -1 && e == ESPIPE)))
			stress_bad_result(d, "lseek", ret, e);
		break;
	}
}

/* Read-write, which root may ask of the 0444 nodes too, so writes reach the drivers. */
static int stress_open(enum stress_dev d)
{
	return open(stress_paths[d], O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

static void stress_report(void)
{
	int d;

	for (d = 0; d < S_NR; d++)
		printf("%s: %ld operations, %ld undocumented results\n", stress_names[d],
		       stress_ops[d], stress_bad[d]);
}

static long stress_total_bad(void)
{
	long n = 0;
	int d;

	for (d = 0; d < S_NR; d++)
		n += stress_bad[d];
	return n;
}

static volatile sig_atomic_t stress_stop;

static void stress_on_term(int sig)
{
	stress_stop = 1;
}

/*
 * `users SECONDS SEED`: while modules come and go, open whatever device
 * exists, do a few operations, close. A device that vanished mid-way is fine;
 * an undocumented result is not. SIGTERM ends it early, as a finished run:
 * a storm of N cycles stops its users when the cycles are done.
 */
static int t_users(char **args)
{
	double end = stress_now() + arg_num(args[0]);
	uint64_t seed = (uint64_t)arg_num(args[1]) | 1;
	long opens = 0, missing = 0;

	signal(SIGTERM, stress_on_term);
	stress_map_edge();
	while (stress_now() < end && !stress_stop) {
		enum stress_dev d = (enum stress_dev)(stress_next(&seed) % S_NR);
		int fd = stress_open(d), i;

		if (fd < 0) {
			if (errno != ENOENT && errno != ENXIO && errno != ENODEV)
				stress_bad_result(d, "open", -1, errno);
			missing++;
			usleep(1000);
			continue;
		}
		opens++;
		for (i = 0; i < 4; i++)
			stress_op(d, fd, stress_next(&seed), false);
		close(fd);
	}
	printf("users: %ld opens, %ld opens found no device\n", opens, missing);
	stress_report();
	return stress_total_bad() ? 1 : 0;
}

/* The pipe's checked stream during `mix`: writers' records, each reader checks order. */
#define STREAM_WRITERS 2
#define STREAM_READERS 2

struct stress_rec {
	uint32_t writer;
	uint32_t seq;
	uint8_t fill[56];
};

static volatile int stress_stop;
static long stress_stream_sent[STREAM_WRITERS];
static long stress_stream_got;
static long stress_stream_bad;

static void *stress_writer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, seq = 0;
	int fd = open(KDRV_LINUX_PIPE_DEV, O_WRONLY | O_CLOEXEC);
	struct stress_rec rec;

	if (fd < 0)
		FAIL("open the pipe for writing: %s", strerror(errno));
	while (!stress_stop) {
		rec.writer = id;
		rec.seq = seq;
		memset(rec.fill, (int)(id * 31 + seq), sizeof(rec.fill));
		if (write(fd, &rec, sizeof(rec)) != sizeof(rec)) {
			__atomic_add_fetch(&stress_stream_bad, 1, __ATOMIC_RELAXED);
			break;
		}
		seq++;
	}
	stress_stream_sent[id] = seq;
	close(fd);
	return NULL;
}

static void *stress_reader(void *arg)
{
	int fd = open(KDRV_LINUX_PIPE_DEV, O_RDONLY | O_CLOEXEC);
	int64_t last[STREAM_WRITERS] = { -1, -1 };
	struct stress_rec rec;
	ssize_t n;

	if (fd < 0)
		FAIL("open the pipe for reading: %s", strerror(errno));
	while ((n = read(fd, &rec, sizeof(rec))) == sizeof(rec)) {
		uint8_t want = (uint8_t)(rec.writer * 31 + rec.seq);

		if (rec.writer >= STREAM_WRITERS || rec.fill[0] != want || rec.fill[55] != want ||
		    (int64_t)rec.seq <= last[rec.writer])
			__atomic_add_fetch(&stress_stream_bad, 1, __ATOMIC_RELAXED);
		else
			last[rec.writer] = rec.seq;
		__atomic_add_fetch(&stress_stream_got, 1, __ATOMIC_RELAXED);
	}
	if (n != 0)
		__atomic_add_fetch(&stress_stream_bad, 1, __ATOMIC_RELAXED);
	close(fd);
	return NULL;
}

struct stress_mixer {
	uint64_t seed;
	double end;
};

static void *stress_mixer_run(void *arg)
{
	struct stress_mixer *m = arg;

	while (stress_now() < m->end) {
		enum stress_dev d = (enum stress_dev)(stress_next(&m->seed) % S_NR);
		int fd = stress_open(d), i, n = (int)(stress_next(&m->seed) % 8);

		if (fd < 0) {
			stress_bad_result(d, "open", -1, errno);
			continue;
		}
		for (i = 0; i < n; i++)
			stress_op(d, fd, stress_next(&m->seed), true);
		close(fd);
	}
	return NULL;
}

/*
 * `mix THREADS SECONDS SEED`: THREADS threads open every device and mix
 * every operation on it, while two writers and two readers stream checked
 * records through the pipe; at the end every record sent was read once, in
 * each writer's order. Thread interleaving is not reproducible; the seed
 * fixes each thread's choices.
 */
static int t_mix(char **args)
{
	int threads = (int)arg_num(args[0]), i;
	double seconds = (double)arg_num(args[1]);
	uint64_t seed = (uint64_t)arg_num(args[2]);
	pthread_t mixers[64], writers[STREAM_WRITERS], readers[STREAM_READERS];
	struct stress_mixer m[64];
	int hold = open(KDRV_LINUX_PIPE_DEV, O_WRONLY | O_CLOEXEC);
	long sent = 0;

	char drain[4096];
	int fd = stress_open(S_PIPE);

	if (threads < 1 || threads > 64 || hold < 0 || fd < 0)
		FAIL("1 to 64 threads, and the pipe loaded (%s)", strerror(errno));
	/* What earlier users left in the pipe is not part of the checked stream. */
	while (read(fd, drain, sizeof(drain)) > 0)
		;
	close(fd);
	stress_map_edge();
	for (i = 0; i < STREAM_READERS; i++)
		pthread_create(&readers[i], NULL, stress_reader, NULL);
	for (i = 0; i < STREAM_WRITERS; i++)
		pthread_create(&writers[i], NULL, stress_writer, (void *)(uintptr_t)i);
	for (i = 0; i < threads; i++) {
		m[i].seed = (seed + (uint64_t)i * 0x9e3779b97f4a7c15ull) | 1;
		m[i].end = stress_now() + seconds;
		pthread_create(&mixers[i], NULL, stress_mixer_run, &m[i]);
	}
	for (i = 0; i < threads; i++)
		pthread_join(mixers[i], NULL);
	stress_stop = 1;
	for (i = 0; i < STREAM_WRITERS; i++)
		pthread_join(writers[i], NULL);
	close(hold);
	for (i = 0; i < STREAM_READERS; i++)
		pthread_join(readers[i], NULL);
	for (i = 0; i < STREAM_WRITERS; i++)
		sent += stress_stream_sent[i];
	printf("mix: %d threads for %.0f s, seed %llu\n", threads, seconds,
	       (unsigned long long)seed);
	stress_report();
	printf("pipe stream: %ld records sent, %ld read, %ld torn, foreign or out of order\n", sent,
	       stress_stream_got, stress_stream_bad);
	if (sent != stress_stream_got || stress_stream_bad)
		FAIL("the pipe stream lost, duplicated or reordered records");
	return stress_total_bad() ? 1 : 0;
}

/*
 * `fuzz SECONDS SEED`: one thread, so the seed replays the run exactly:
 * random operations with random lengths, pointers (good, short, bad), ioctl
 * codes near and far from the real ones, O_NONBLOCK toggles, readv/writev.
 */
static int t_fuzz(char **args)
{
	double end = stress_now() + arg_num(args[0]);
	uint64_t seed = (uint64_t)arg_num(args[1]), s = seed | 1;
	static char buf[8192];
	long calls = 0;
	int fds[S_NR], d;

	stress_map_edge();
	for (d = 0; d < S_NR; d++) {
		fds[d] = stress_open((enum stress_dev)d);
		if (fds[d] < 0)
			FAIL("open %s: %s", stress_paths[d], strerror(errno));
	}
	while (stress_now() < end) {
		uint64_t r = stress_next(&s);
		struct iovec iov[3] = { { buf, r % 100 },
					{ stress_page_end - 32, 64 },
					{ buf, 7 } };

		d = (int)(r % S_NR);
		calls++;
		switch ((r >> 4) % 6) {
		case 0:
			stress_op((enum stress_dev)d, fds[d], stress_next(&s), false);
			break;
		case 1: /* readv across a fault */
			if (readv(fds[d], iov, 3) < 0 && errno != EFAULT && errno != EAGAIN &&
			    errno != EINVAL && errno != EIO)
				stress_bad_result((enum stress_dev)d, "readv", -1, errno);
			break;
		case 2:
			if (writev(fds[d], iov, 1 + (int)(r >> 8) % 3) < 0 && errno != EFAULT &&
			    errno != EAGAIN && errno != EINVAL && errno != EPERM)
				stress_bad_result((enum stress_dev)d, "writev", -1, errno);
			break;
		case 3: /* the procinfo code with its size bits changed */
			if (ioctl(fds[d], KDRV_IOCTL_PROCINFO_LINUX ^ (((r >> 8) & 0x3fff) << 16),
				  buf) == 0 &&
			    ((r >> 8) & 0x3fff))
				stress_bad_result((enum stress_dev)d, "ioctl with another size", 0,
						  0);
			break;
		case 4: /* reopen, with O_NONBLOCK or not (never blocking on the pipe) */
			close(fds[d]);
			fds[d] = stress_open((enum stress_dev)d);
			if (fds[d] < 0)
				FAIL("reopen %s: %s", stress_paths[d], strerror(errno));
			break;
		default:
			if (read(fds[d], buf, (size_t)(r >> 16) % sizeof(buf)) < 0 &&
			    errno != EAGAIN && errno != EINVAL && errno != EIO)
				stress_bad_result((enum stress_dev)d, "read", -1, errno);
			break;
		}
	}
	for (d = 0; d < S_NR; d++)
		close(fds[d]);
	printf("fuzz: %ld calls in %s s, seed %llu\n", calls, args[0], (unsigned long long)seed);
	stress_report();
	if (stress_total_bad())
		FAIL("reproduce with: kdrv-stress_test fuzz %s %llu", args[0],
		     (unsigned long long)seed);
	return 0;
}

static const struct test_cmd cmds[] = {
	{ "users", 2, t_users },
	{ "mix", 3, t_mix },
	{ "fuzz", 2, t_fuzz },
	{},
};

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	return run_cmd(cmds, argc, argv);
}
