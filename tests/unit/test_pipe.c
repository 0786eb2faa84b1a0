// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_pipe through the harness: order, blocking, EOF, faults, poll, threads. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "kdrv_os_user.h"

#define RW (KDRV_O_READ | KDRV_O_WRITE)
#define NB KDRV_O_NONBLOCK

static struct kdrv_file *unit_open(unsigned int flags)
{
	struct kdrv_file *f = NULL;

	if (kdrv_user_open("pipe", flags, &f)) {
		fprintf(stderr, "pipe: cannot open\n");
		abort();
	}
	return f;
}

static void unit_pipe_basics(void)
{
	struct kdrv_file *w = unit_open(KDRV_O_WRITE | NB), *r = unit_open(KDRV_O_READ | NB);
	char buf[64] = "";

	UNIT_EQ(0, kdrv_user_read(r, buf, 0, 0), "pipe: a 0-byte read is 0");
	UNIT_EQ(0, kdrv_user_write(w, buf, 0, 0), "pipe: a 0-byte write is 0");
	UNIT_EQ(-KDRV_EAGAIN, kdrv_user_read(r, buf, 10, 10),
		"pipe: an empty FIFO with a writer is -EAGAIN to a non-blocking read");
	UNIT_EQ(KDRV_POLLOUT, kdrv_user_poll(r), "pipe: empty with a writer: writable only");
	UNIT_EQ(5, kdrv_user_write(w, "hello", 5, 5), "pipe: a write returns its length");
	UNIT_EQ(6, kdrv_user_write(w, " world", 6, 6), "pipe: a second write appends");
	UNIT_EQ(KDRV_POLLIN, kdrv_user_poll(r),
		"pipe: with bytes: readable, and not writable with less than 4096 bytes free");
	UNIT_EQ(11, kdrv_user_stat("pipe", "fill"), "pipe: the fill counter says 11");
	UNIT_EQ(3, kdrv_user_read(r, buf, 10, 3), "pipe: a read whose buffer faults at 3 takes 3");
	UNIT_EQ(-KDRV_EFAULT, kdrv_user_read(r, buf + 3, 10, 0),
		"pipe: a read that can copy nothing is -EFAULT");
	UNIT_EQ(8, kdrv_user_read(r, buf + 3, 60, 60), "pipe: the rest is still there");
	buf[11] = '\0';
	UNIT_OK(!strcmp(buf, "hello world"),
		"pipe: bytes come out in order, none lost to the fault");
	UNIT_EQ(-KDRV_EFAULT, kdrv_user_write(w, "x", 1, 0),
		"pipe: a write that can copy nothing is -EFAULT");
	UNIT_EQ(0, kdrv_user_stat("pipe", "fill"), "pipe: the fault put nothing in");
	kdrv_user_close(w);
	UNIT_EQ(0, kdrv_user_read(r, buf, 10, 10), "pipe: empty with no writer is EOF");
	UNIT_EQ(KDRV_POLLIN | KDRV_POLLHUP | KDRV_POLLOUT, kdrv_user_poll(r),
		"pipe: empty with no writer: readable (EOF) and hung up");
	kdrv_user_close(r);

	w = unit_open(KDRV_O_WRITE | NB);
	UNIT_EQ(4, kdrv_user_write(w, "kept", 4, 4), "pipe: a write with no reader open is kept");
	kdrv_user_close(w);
	r = unit_open(KDRV_O_READ | NB);
	UNIT_EQ(4, kdrv_user_read(r, buf, 10, 10), "pipe: a later reader gets it");
	UNIT_EQ(0, kdrv_user_read(r, buf, 10, 10), "pipe: then EOF");
	kdrv_user_close(r);
}

/* Capacity 4096 here: a full FIFO, partial writes and atomic ones. */
static void unit_pipe_full(void)
{
	static uint8_t big[3 * 4096], out[3 * 4096];
	struct kdrv_file *f = unit_open(RW | NB);
	int64_t waits = kdrv_user_stat("pipe", "waits");
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + i / 251);
	UNIT_EQ(4000, kdrv_user_write(f, big, 4000, 4000), "pipe: 4000 bytes fit in 4096");
	UNIT_EQ(-KDRV_EAGAIN, kdrv_user_write(f, big, 100, 100),
		"pipe: an atomic write that does not fit whole is -EAGAIN, not split");
	UNIT_EQ(96, kdrv_user_write(f, big + 4000, 5000, 5000),
		"pipe: a non-blocking write larger than atomic takes what fits");
	UNIT_EQ(KDRV_POLLIN, kdrv_user_poll(f), "pipe: full: readable, not writable");
	UNIT_EQ(-KDRV_EAGAIN, kdrv_user_write(f, big, 5000, 5000), "pipe: full is -EAGAIN");
	UNIT_EQ(2, kdrv_user_stat("pipe", "waits") - waits, "pipe: each -EAGAIN counts a wait");
	UNIT_EQ(4096, kdrv_user_read(f, out, sizeof(out), sizeof(out)),
		"pipe: a read drains it all");
	UNIT_OK(!memcmp(out, big, 4096), "pipe: in order across the ring's end");
	UNIT_EQ(3000, kdrv_user_write(f, big, 3000, 3000), "pipe: the ring wraps for the next");
	UNIT_EQ(3000, kdrv_user_read(f, out, sizeof(out), sizeof(out)), "pipe: and reads back");
	UNIT_OK(!memcmp(out, big, 3000), "pipe: the wrapped bytes are right");
	kdrv_user_close(f);
}

struct unit_blocked {
	struct kdrv_file *f;
	uint8_t *buf;
	size_t len;
	int64_t ret;
	bool write;
};

static void *unit_blocked_run(void *arg)
{
	struct unit_blocked *b = arg;

	if (b->write)
		b->ret = kdrv_user_write(b->f, b->buf, b->len, b->len);
	else
		b->ret = kdrv_user_read(b->f, b->buf, b->len, b->len);
	return NULL;
}

static pthread_t unit_start(struct unit_blocked *b)
{
	pthread_t t;

	pthread_create(&t, NULL, unit_blocked_run, b);
	usleep(20000);
	return t;
}

static void unit_pipe_blocking(void)
{
	static uint8_t big[3 * 4096 + 17], out[sizeof(big)];
	struct kdrv_file *r = unit_open(KDRV_O_READ), *w = unit_open(KDRV_O_WRITE);
	struct unit_blocked b = { .f = r, .buf = out, .len = 100 };
	pthread_t t;
	size_t got = 0, i;

	t = unit_start(&b);
	UNIT_EQ(6, kdrv_user_write(w, "wakeup", 6, 6), "pipe: a write to a blocked reader");
	pthread_join(t, NULL);
	UNIT_EQ(6, b.ret, "pipe: the blocked read returns what arrived");

	kdrv_user_reset();
	t = unit_start(&b);
	kdrv_user_signal(true);
	pthread_join(t, NULL);
	UNIT_EQ(-KDRV_ERESTARTSYS, b.ret, "pipe: a signal ends a blocked read with -ERESTARTSYS");
	kdrv_user_reset();

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13 + i / 509);
	b = (struct unit_blocked){ .f = w, .buf = big, .len = sizeof(big), .write = true };
	t = unit_start(&b);
	while (got < sizeof(big)) {
		int64_t n = kdrv_user_read(r, out + got, 1000, 1000);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	pthread_join(t, NULL);
	UNIT_EQ(sizeof(big), b.ret, "pipe: a blocking write of 3x the capacity moves it all");
	UNIT_OK(got == sizeof(big) && !memcmp(out, big, sizeof(big)),
		"pipe: and the reader gets every byte in order");

	t = unit_start(&(struct unit_blocked){ .f = w, .buf = big, .len = 4096, .write = true });
	pthread_join(t, NULL);
	b = (struct unit_blocked){ .f = w, .buf = big, .len = 10, .write = true };
	t = unit_start(&b);
	kdrv_user_signal(true);
	pthread_join(t, NULL);
	UNIT_EQ(-KDRV_ERESTARTSYS, b.ret, "pipe: a signal ends a blocked write into a full FIFO");
	kdrv_user_reset();
	UNIT_EQ(4096, kdrv_user_read(r, out, sizeof(out), sizeof(out)), "pipe: drained again");

	b = (struct unit_blocked){ .f = r, .buf = out, .len = 10 };
	t = unit_start(&b);
	kdrv_user_close(w);
	pthread_join(t, NULL);
	UNIT_EQ(0, b.ret, "pipe: closing the last writer wakes a blocked reader with EOF");
	kdrv_user_close(r);
}

/* Several writers and readers at once: every record arrives once, each writer's in order. */
#define UNIT_WRITERS 4
#define UNIT_READERS 3
#define UNIT_RECORDS 3000
#define UNIT_RECORD 64

struct unit_record {
	uint32_t writer;
	uint32_t seq;
	uint8_t fill[UNIT_RECORD - 8];
};

static int unit_seen[UNIT_WRITERS][UNIT_RECORDS];
static int unit_disorder, unit_corrupt;

static struct kdrv_file *unit_writer_files[UNIT_WRITERS];

static void *unit_writer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, i;
	struct kdrv_file *f = unit_writer_files[id];
	struct unit_record rec;

	for (i = 0; i < UNIT_RECORDS; i++) {
		rec.writer = id;
		rec.seq = i;
		memset(rec.fill, (int)(id * 31 + i), sizeof(rec.fill));
		if (kdrv_user_write(f, &rec, sizeof(rec), sizeof(rec)) != sizeof(rec))
			__atomic_add_fetch(&unit_corrupt, 1, __ATOMIC_RELAXED);
	}
	kdrv_user_close(f);
	return NULL;
}

static void *unit_reader(void *arg)
{
	struct kdrv_file *f = unit_open(KDRV_O_READ);
	int64_t last[UNIT_WRITERS];
	struct unit_record rec;
	int w;

	for (w = 0; w < UNIT_WRITERS; w++)
		last[w] = -1;
	while (kdrv_user_read(f, &rec, sizeof(rec), sizeof(rec)) == sizeof(rec)) {
		uint8_t want = (uint8_t)(rec.writer * 31 + rec.seq);

		if (rec.writer >= UNIT_WRITERS || rec.seq >= UNIT_RECORDS || rec.fill[0] != want ||
		    rec.fill[sizeof(rec.fill) - 1] != want) {
			__atomic_add_fetch(&unit_corrupt, 1, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_add_fetch(&unit_seen[rec.writer][rec.seq], 1, __ATOMIC_RELAXED);
		if ((int64_t)rec.seq <= last[rec.writer])
			__atomic_add_fetch(&unit_disorder, 1, __ATOMIC_RELAXED);
		last[rec.writer] = rec.seq;
	}
	kdrv_user_close(f);
	return NULL;
}

static void unit_pipe_stream(void)
{
	pthread_t w[UNIT_WRITERS], r[UNIT_READERS];
	int i, j, once = 0;

	/* Every writer opens before any reader runs, so no reader sees EOF early. */
	for (i = 0; i < UNIT_WRITERS; i++)
		unit_writer_files[i] = unit_open(KDRV_O_WRITE);
	for (i = 0; i < UNIT_READERS; i++)
		pthread_create(&r[i], NULL, unit_reader, NULL);
	for (i = 0; i < UNIT_WRITERS; i++)
		pthread_create(&w[i], NULL, unit_writer, (void *)(uintptr_t)i);
	for (i = 0; i < UNIT_WRITERS; i++)
		pthread_join(w[i], NULL);
	for (i = 0; i < UNIT_READERS; i++)
		pthread_join(r[i], NULL);
	for (i = 0; i < UNIT_WRITERS; i++)
		for (j = 0; j < UNIT_RECORDS; j++)
			once += unit_seen[i][j] == 1;
	printf("# %d writers, %d readers: %d records, %lld waits\n", UNIT_WRITERS, UNIT_READERS,
	       once, (long long)kdrv_user_stat("pipe", "waits"));
	UNIT_EQ(UNIT_WRITERS * UNIT_RECORDS, once,
		"pipe: 4 writers and 3 readers: every record arrives exactly once");
	UNIT_EQ(0, unit_corrupt, "pipe: no record is torn or short");
	UNIT_EQ(0, unit_disorder, "pipe: each reader sees each writer's records in order");
}

KDRV_UNIT_GROUP(pipe)

void kdrv_unit_pipe(void)
{
	char cap[16];

	UNIT_EQ(-KDRV_EINVAL, kdrv_param_set(kdrv_user_param("pipe", "capacity"), "4095"),
		"pipe: a capacity below 4096 is refused");
	UNIT_EQ(-KDRV_EINVAL, kdrv_param_set(kdrv_user_param("pipe", "capacity"), "1048577"),
		"pipe: a capacity above 1 MiB is refused");
	UNIT_EQ(0, kdrv_param_set(kdrv_user_param("pipe", "capacity"), "4096"),
		"pipe: capacity 4096 is taken");
	kdrv_param_get(kdrv_user_param("pipe", "capacity"), cap, sizeof(cap));
	UNIT_OK(!strcmp(cap, "4096\n"), "pipe: capacity reads back");
	UNIT_EQ(0, kdrv_user_load("pipe"), "pipe: load succeeds");
	UNIT_CONTAINS(kdrv_user_log(), "kdrv_pipe: capacity 4096 bytes",
		      "pipe: load says its size");
	unit_pipe_basics();
	unit_pipe_full();
	unit_pipe_blocking();
	unit_pipe_stream();
	UNIT_EQ(kdrv_user_stat("pipe", "bytes_in"), kdrv_user_stat("pipe", "bytes_out"),
		"pipe: bytes in equal bytes out once drained");
	kdrv_user_unload("pipe");
	UNIT_EQ(0, kdrv_user_live_allocs(), "pipe: unload frees the FIFO");

	kdrv_user_reset();
	kdrv_user_faults.alloc_fail_after = 0;
	UNIT_EQ(-KDRV_ENOMEM, kdrv_user_load("pipe"), "pipe: a failed allocation fails the load");
	kdrv_user_reset();
}
