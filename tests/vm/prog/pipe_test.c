// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM tests of /dev/kdrv-pipe: order, blocking, signals, EOF, faults, poll, many writers. */
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kdrv/abi.h"
#include "check.h"

static int popen_dev(int flags)
{
	return open_or_die(KDRV_LINUX_PIPE_DEV, flags);
}

/* Empties the FIFO, so each test starts from nothing whatever the one before left. */
static void drain(void)
{
	int fd = popen_dev(O_RDONLY | O_NONBLOCK);
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

static void expect_io(ssize_t got, ssize_t want, const char *what)
{
	if (got != want)
		FAIL("%s: expected %zd, saw %zd (%s)", what, want, got,
		     got < 0 ? strerror(errno) : "no error");
}

/* Order, EAGAIN, EOF, 0-byte calls, a write with no reader kept for the next. */
static int t_basic(char **args)
{
	int w = popen_dev(O_WRONLY | O_NONBLOCK), r = popen_dev(O_RDONLY | O_NONBLOCK);
	char buf[64] = "";

	expect_io(read(r, buf, 0), 0, "0-byte read");
	expect_io(write(w, buf, 0), 0, "0-byte write");
	EXPECT_ERRNO(read(r, buf, 10), EAGAIN, "non-blocking read of an empty FIFO with a writer");
	expect_io(write(w, "hello", 5), 5, "write hello");
	expect_io(write(w, " world", 6), 6, "write world");
	expect_io(read(r, buf, 3), 3, "read 3");
	expect_io(read(r, buf + 3, sizeof(buf) - 3), 8, "read the rest");
	if (memcmp(buf, "hello world", 11))
		FAIL("expected 'hello world', read '%.11s'", buf);
	close(w);
	expect_io(read(r, buf, 10), 0, "EOF once the writer closed");
	close(r);

	w = popen_dev(O_WRONLY);
	expect_io(write(w, "kept", 4), 4, "a write with no reader");
	close(w);
	r = popen_dev(O_RDONLY);
	expect_io(read(r, buf, 10), 4, "a later reader gets it");
	expect_io(read(r, buf, 10), 0, "then EOF");
	close(r);
	return 0;
}

/* EFAULT and partial copies lose nothing: the bytes not taken stay for the next read. */
static int t_fault(char **args)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map =
	    mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = popen_dev(O_RDWR | O_NONBLOCK);
	/* volatile: the compiler would otherwise reject the deliberate bad pointer. */
	void *volatile bad = (void *)8;
	char buf[100], want[100];
	int i;

	if (map == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	munmap(map + page, page);
	EXPECT_ERRNO(write(fd, bad, 10), EFAULT, "a write from a bad pointer");
	EXPECT_ERRNO(read(fd, buf, 10), EAGAIN, "the bad write put nothing in");
	for (i = 0; i < 100; i++)
		want[i] = (char)('a' + i % 26);
	expect_io(write(fd, want, 100), 100, "write 100");
	EXPECT_ERRNO(read(fd, bad, 10), EFAULT, "a read into a bad pointer");
	expect_io(read(fd, map + page - 10, 100), 10, "a read whose buffer ends after 10 bytes");
	if (memcmp(map + page - 10, want, 10))
		FAIL("the 10 bytes read are not the first 10 written");
	expect_io(read(fd, buf, 100), 90, "the 90 not taken are still there");
	if (memcmp(buf, want + 10, 90))
		FAIL("the 90 bytes are not the rest, in order");
	memcpy(map + page - 10, want, 10);
	expect_io(write(fd, map + page - 10, 100), 10, "a write whose buffer ends after 10 bytes");
	expect_io(read(fd, buf, 100), 10, "exactly those 10 went in");
	close(fd);
	return 0;
}

static volatile sig_atomic_t t_alarms;

static void t_on_alarm(int sig)
{
	t_alarms++;
}

static void t_set_alarm(bool restart)
{
	struct sigaction sa = { .sa_handler = t_on_alarm, .sa_flags = restart ? SA_RESTART : 0 };

	sigaction(SIGALRM, &sa, NULL);
	t_alarms = 0;
	alarm(1);
}

/*
 * A blocked read ends with EINTR on a signal (the kernel turns the driver's
 * -ERESTARTSYS into it without SA_RESTART) and restarts with SA_RESTART; a
 * writer wakes a blocked reader; a blocked write that moved bytes returns them.
 */
static int t_signal(char **args)
{
	int r = popen_dev(O_RDONLY), w = popen_dev(O_WRONLY), cap = (int)arg_num(args[0]);
	char *big = calloc(1, (size_t)cap * 2);
	char buf[16];
	pid_t child;
	ssize_t n;

	t_set_alarm(false);
	EXPECT_ERRNO(read(r, buf, sizeof(buf)), EINTR, "a blocked read and a signal");
	if (t_alarms != 1)
		FAIL("the alarm did not arrive");

	child = fork();
	if (!child) {
		sleep(2);
		_exit(write(w, "late", 4) == 4 ? 0 : 1);
	}
	t_set_alarm(true);
	expect_io(read(r, buf, sizeof(buf)), 4, "a blocked read restarted after the signal");
	if (t_alarms != 1)
		FAIL("the alarm did not arrive during the read");
	waitpid(child, NULL, 0);

	t_set_alarm(false);
	n = write(w, big, (size_t)cap * 2);
	expect_io(n, cap, "a blocking write of twice the capacity, signalled once full");
	t_set_alarm(false);
	EXPECT_ERRNO(write(w, "x", 1), EINTR, "a blocked write to a full FIFO and a signal");
	close(w);
	close(r);
	free(big);
	return 0;
}

/* poll, select and epoll say readable and writable right, and wake up when that changes. */
static int t_poll(char **args)
{
	int r = popen_dev(O_RDONLY | O_NONBLOCK), w = popen_dev(O_WRONLY | O_NONBLOCK);
	struct pollfd p[2] = { { .fd = r, .events = POLLIN }, { .fd = w, .events = POLLOUT } };
	struct epoll_event ev = { .events = EPOLLIN }, got;
	struct timeval tv = { 0, 0 };
	int ep = epoll_create1(0);
	char buf[8];
	fd_set rs;
	pid_t child;

	if (poll(p, 2, 0) != 1 || p[0].revents || p[1].revents != POLLOUT)
		FAIL("empty with a writer: expected only the writer ready, saw %x %x", p[0].revents,
		     p[1].revents);
	FD_ZERO(&rs);
	FD_SET(r, &rs);
	if (select(r + 1, &rs, NULL, NULL, &tv) != 0)
		FAIL("select says an empty FIFO is readable");
	ev.data.fd = r;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev))
		FAIL("epoll_ctl: %s", strerror(errno));
	child = fork();
	if (!child) {
		usleep(200000);
		_exit(write(w, "ping", 4) == 4 ? 0 : 1);
	}
	if (epoll_wait(ep, &got, 1, 30000) != 1 || !(got.events & EPOLLIN))
		FAIL("epoll_wait did not wake when a writer wrote");
	waitpid(child, NULL, 0);
	if (poll(p, 1, 0) != 1 || !(p[0].revents & POLLIN))
		FAIL("poll: with bytes in, expected POLLIN, saw %x", p[0].revents);
	FD_ZERO(&rs);
	FD_SET(r, &rs);
	tv.tv_sec = 0;
	if (select(r + 1, &rs, NULL, NULL, &tv) != 1)
		FAIL("select: with bytes in, expected readable");
	expect_io(read(r, buf, sizeof(buf)), 4, "read the ping");
	close(w);
	p[0].revents = 0;
	if (poll(p, 1, 0) != 1 || !(p[0].revents & POLLHUP))
		FAIL("poll: empty with no writer, expected POLLHUP, saw %x", p[0].revents);
	close(r);
	close(ep);
	return 0;
}

/*
 * W writers each write N records of 64 bytes (atomic), R readers read
 * records; every record must arrive exactly once, each writer's in order per
 * reader. Records carry a checksum of their own bytes.
 */
struct t_rec {
	uint32_t writer;
	uint32_t seq;
	uint8_t fill[56];
};

static int t_stream(char **args)
{
	int writers = (int)arg_num(args[0]), readers = (int)arg_num(args[1]);
	int n = (int)arg_num(args[2]), i, status, bad = 0;
	int seen_fd[2];
	uint8_t *seen = calloc((size_t)writers * (size_t)n, 1);
	int wfd[64];
	pid_t pids[128];
	int np = 0;

	if (writers > 64 || readers > 64 || pipe(seen_fd))
		FAIL("at most 64 writers and readers");
	/* Every writer opens before any reader starts, so no reader sees EOF early. */
	for (i = 0; i < writers; i++)
		wfd[i] = popen_dev(O_WRONLY);
	for (i = 0; i < readers; i++) {
		pid_t p = fork();

		if (!p) {
			int fd = popen_dev(O_RDONLY), k;
			int64_t last[64];
			struct t_rec rec;

			for (k = 0; k < writers; k++) {
				last[k] = -1;
				close(wfd[k]);
			}
			close(seen_fd[0]);
			while (read(fd, &rec, sizeof(rec)) == sizeof(rec)) {
				uint8_t want = (uint8_t)(rec.writer * 31 + rec.seq);

				if (rec.writer >= (uint32_t)writers || rec.seq >= (uint32_t)n ||
				    rec.fill[0] != want || rec.fill[55] != want ||
				    (int64_t)rec.seq <= last[rec.writer])
					_exit(3);
				last[rec.writer] = rec.seq;
				if (write(seen_fd[1], &rec, 8) != 8)
					_exit(4);
			}
			_exit(0);
		}
		pids[np++] = p;
	}
	close(seen_fd[1]);
	for (i = 0; i < writers; i++) {
		pid_t p = fork();

		if (!p) {
			struct t_rec rec;
			int k;

			for (k = 0; k < n; k++) {
				rec.writer = (uint32_t)i;
				rec.seq = (uint32_t)k;
				memset(rec.fill, (int)(i * 31 + k), sizeof(rec.fill));
				if (write(wfd[i], &rec, sizeof(rec)) != sizeof(rec))
					_exit(5);
			}
			_exit(0);
		}
		pids[np++] = p;
		close(wfd[i]);
	}
	for (;;) {
		uint32_t id[2];
		ssize_t got = read(seen_fd[0], id, sizeof(id));

		if (got != sizeof(id))
			break;
		if (seen[id[0] * (uint32_t)n + id[1]]++)
			bad++;
	}
	/* A reader that gave up leaves the writers blocked on a full FIFO: stop them. */
	for (i = 0; i < np; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			while (++i < np)
				kill(pids[i], SIGKILL);
			FAIL(
			    "%s ended with status 0x%x (3: a torn, foreign or out-of-order record)",
			    i < readers ? "a reader" : "a writer", status);
		}
	}
	for (i = 0; i < writers * n; i++)
		if (seen[i] != 1)
			FAIL("record %d of writer %d arrived %d times", i % n, i / n, seen[i]);
	if (bad)
		FAIL("%d records duplicated", bad);
	printf("%d writers, %d readers: %d records each arrived once, in order\n", writers, readers,
	       writers * n);
	return 0;
}

/* A blocking write larger than the capacity completes as a reader drains it, byte for byte. */
static int t_big(char **args)
{
	size_t len = (size_t)arg_num(args[0]), i, got = 0;
	uint8_t *src = malloc(len), *dst = malloc(len);
	int w = popen_dev(O_WRONLY), r = popen_dev(O_RDONLY);
	pid_t child;
	int status;

	for (i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 13 + i / 509);
	child = fork();
	if (!child)
		_exit(write(w, src, len) == (ssize_t)len ? 0 : 1);
	close(w);
	while (got < len) {
		ssize_t n = read(r, dst + got, len - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("the writer's one write of %zu bytes did not complete", len);
	if (got != len || memcmp(src, dst, len))
		FAIL("read %zu of %zu bytes, or not the same bytes", got, len);
	if (read(r, dst, 1) != 0)
		FAIL("expected EOF after the writer closed");
	return 0;
}

/* Holds the device open, blocked in a read, and says so with a file. */
static int t_hold(char **args)
{
	int fd = popen_dev(O_RDONLY), keep = popen_dev(O_WRONLY);
	char c;
	FILE *f = fopen(args[0], "w");

	if (f)
		fclose(f);
	(void)keep;
	return read(fd, &c, 1) == 1 ? 0 : 1;
}

static const struct test_cmd cmds[] = {
	{ "basic", 0, t_basic },   { "fault", 0, t_fault },
	{ "signal", 1, t_signal }, { "poll", 0, t_poll },
	{ "stream", 3, t_stream }, { "big", 1, t_big },
	{ "hold", 1, t_hold },	   {},
};

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "hold"))
		drain();
	return run_cmd(cmds, argc, argv);
}
