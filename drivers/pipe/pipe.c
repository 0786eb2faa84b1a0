// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_pipe: one bounded FIFO shared by every opener; reads and writes block until they can move.
 */
#define KDRV_MODNAME "kdrv_pipe"
#include "kdrv/driver.h"

static int kdrv_pipe_capacity = KDRV_PIPE_CAPACITY_DEFAULT;

KDRV_PARAM_INT(capacity, kdrv_pipe_capacity, KDRV_PIPE_CAPACITY_MIN, KDRV_PIPE_CAPACITY_MAX, false,
	       "FIFO size in bytes, 4096-1048576 (default 65536); fixed at load");

/**
 * struct kdrv_pipe - the FIFO.
 * @read_lock:	one reader at a time, held while copying out.
 * @write_lock:	one writer at a time, held while copying in: a write of up to
 *		%KDRV_PIPE_ATOMIC bytes goes in one call, so it is never
 *		interleaved with another writer's bytes.
 * @lock:	guards the fields below. A reader copies out of the filled part
 *		and a writer into the free part, so the two copy at the same
 *		time without it and take it only to look and to commit.
 * @buf:	@cap bytes.
 * @cap:	the capacity, fixed at load.
 * @head:	where the oldest byte is.
 * @fill:	bytes in the FIFO.
 * @readers:	files open for reading.
 * @writers:	files open for writing; with none, an empty FIFO reads as EOF.
 */
struct kdrv_pipe {
	struct kdrv_mutex read_lock;
	struct kdrv_mutex write_lock;
	struct kdrv_spinlock lock;
	uint8_t *buf;
	size_t cap;
	size_t head;
	size_t fill;
	unsigned int readers;
	unsigned int writers;
};

static struct kdrv_pipe kdrv_pipe;

static struct kdrv_counter kdrv_pipe_bytes_in;
static struct kdrv_counter kdrv_pipe_bytes_out;
static struct kdrv_counter kdrv_pipe_fill;
static struct kdrv_counter kdrv_pipe_waits;

static int kdrv_pipe_init(void)
{
	struct kdrv_pipe *p = &kdrv_pipe;

	p->cap = (size_t)kdrv_read_once(kdrv_pipe_capacity);
	p->buf = kdrv_os_alloc(p->cap);
	if (!p->buf)
		return -KDRV_ENOMEM;
	p->head = 0;
	p->fill = 0;
	kdrv_mutex_init(&p->read_lock);
	kdrv_mutex_init(&p->write_lock);
	kdrv_spin_init(&p->lock);
	kdrv_info("capacity %lu bytes", (unsigned long)p->cap);
	return 0;
}

static void kdrv_pipe_exit(void)
{
	kdrv_os_free(kdrv_pipe.buf);
	kdrv_pipe.buf = NULL;
}

static int kdrv_pipe_open(struct kdrv_file *file)
{
	struct kdrv_pipe *p = &kdrv_pipe;

	kdrv_spin_lock(&p->lock);
	p->readers += !!(file->flags & KDRV_O_READ);
	p->writers += !!(file->flags & KDRV_O_WRITE);
	kdrv_spin_unlock(&p->lock);
	return 0;
}

/* The last writer gone turns an empty FIFO into EOF: its waiting readers must see that. */
static void kdrv_pipe_release(struct kdrv_file *file)
{
	struct kdrv_pipe *p = &kdrv_pipe;

	kdrv_spin_lock(&p->lock);
	p->readers -= !!(file->flags & KDRV_O_READ);
	p->writers -= !!(file->flags & KDRV_O_WRITE);
	kdrv_spin_unlock(&p->lock);
	kdrv_wake(file->dev);
}

/* Copies @n bytes of the ring from @at, wrapping; returns how many the sink took. */
static size_t kdrv_pipe_copy_out(struct kdrv_pipe *p, struct kdrv_sink *to, size_t at, size_t n)
{
	size_t first = kdrv_min(n, p->cap - at);
	size_t done = to->copy(to, p->buf + at, first);

	if (done == first && n > first)
		done += to->copy(to, p->buf, n - first);
	return done;
}

static size_t kdrv_pipe_copy_in(struct kdrv_pipe *p, struct kdrv_source *from, size_t at, size_t n)
{
	size_t first = kdrv_min(n, p->cap - at);
	size_t done = from->copy(from, p->buf + at, first);

	if (done == first && n > first)
		done += from->copy(from, p->buf, n - first);
	return done;
}

/*
 * Takes what is there, up to @len. Bytes the sink did not take stay in the
 * FIFO for the next read: a fault loses nothing.
 */
static int64_t kdrv_pipe_read(struct kdrv_file *file, struct kdrv_sink *to, size_t len,
			      uint64_t *pos)
{
	struct kdrv_pipe *p = &kdrv_pipe;
	size_t head, fill, done;
	bool eof;
	int64_t ret;

	if (!len)
		return 0;
	kdrv_mutex_lock(&p->read_lock);
	kdrv_spin_lock(&p->lock);
	head = p->head;
	fill = p->fill;
	eof = !p->writers;
	kdrv_spin_unlock(&p->lock);

	if (!fill) {
		ret = eof ? 0 : -KDRV_EAGAIN;
		if (ret)
			kdrv_counter_add(&kdrv_pipe_waits, 1);
		goto out_unlock;
	}
	done = kdrv_pipe_copy_out(p, to, head, kdrv_min(len, fill));
	if (!done) {
		ret = -KDRV_EFAULT;
		goto out_unlock;
	}
	kdrv_spin_lock(&p->lock);
	p->head = (head + done) % p->cap;
	p->fill -= done;
	kdrv_spin_unlock(&p->lock);
	kdrv_counter_add(&kdrv_pipe_fill, -(int64_t)done);
	kdrv_counter_add(&kdrv_pipe_bytes_out, (int64_t)done);
	kdrv_wake(file->dev);
	ret = (int64_t)done;

out_unlock:
	kdrv_mutex_unlock(&p->read_lock);
	return ret;
}

/*
 * Puts in what fits; the kit calls again for the rest. A write of up to
 * KDRV_PIPE_ATOMIC bytes waits until it fits whole. Writing with no reader
 * open is allowed: the bytes wait in the FIFO for the next reader.
 */
static int64_t kdrv_pipe_write(struct kdrv_file *file, struct kdrv_source *from, size_t len,
			       uint64_t *pos)
{
	struct kdrv_pipe *p = &kdrv_pipe;
	size_t tail, room, done;
	int64_t ret;

	if (!len)
		return 0;
	kdrv_mutex_lock(&p->write_lock);
	kdrv_spin_lock(&p->lock);
	tail = (p->head + p->fill) % p->cap;
	room = p->cap - p->fill;
	kdrv_spin_unlock(&p->lock);

	if (!room || (len <= KDRV_PIPE_ATOMIC && room < len)) {
		kdrv_counter_add(&kdrv_pipe_waits, 1);
		ret = -KDRV_EAGAIN;
		goto out_unlock;
	}
	done = kdrv_pipe_copy_in(p, from, tail, kdrv_min(len, room));
	if (!done) {
		ret = -KDRV_EFAULT;
		goto out_unlock;
	}
	kdrv_spin_lock(&p->lock);
	p->fill += done;
	kdrv_spin_unlock(&p->lock);
	kdrv_counter_add(&kdrv_pipe_fill, (int64_t)done);
	kdrv_counter_add(&kdrv_pipe_bytes_in, (int64_t)done);
	kdrv_wake(file->dev);
	ret = (int64_t)done;

out_unlock:
	kdrv_mutex_unlock(&p->write_lock);
	return ret;
}

/*
 * Readable when a read would not wait: bytes are there, or no writer is left
 * (EOF, also reported as a hangup). Writable when an atomic write fits.
 */
static unsigned int kdrv_pipe_poll(struct kdrv_file *file)
{
	struct kdrv_pipe *p = &kdrv_pipe;
	unsigned int mask = 0;

	kdrv_spin_lock(&p->lock);
	if (p->fill || !p->writers)
		mask |= KDRV_POLLIN;
	if (!p->fill && !p->writers)
		mask |= KDRV_POLLHUP;
	if (p->cap - p->fill >= KDRV_PIPE_ATOMIC)
		mask |= KDRV_POLLOUT;
	kdrv_spin_unlock(&p->lock);
	return mask;
}

static const struct kdrv_param *const kdrv_pipe_params[] = {
	&kdrv_param_capacity,
	NULL,
};

static const struct kdrv_stat kdrv_pipe_stats[] = {
	{ "bytes_in", &kdrv_pipe_bytes_in },
	{ "bytes_out", &kdrv_pipe_bytes_out },
	{ "fill", &kdrv_pipe_fill },
	{ "waits", &kdrv_pipe_waits },
	{},
};

KDRV_DRIVER(
    pipe,
    "kdrv pipe: /dev/kdrv-pipe, a bounded FIFO; reads and writes block until they can move") = {
	.linux_name = KDRV_LINUX_PIPE_NAME,
	.nt_name = KDRV_NT_PIPE_NAME,
	.mode = 0666,
	.init = kdrv_pipe_init,
	.exit = kdrv_pipe_exit,
	.open = kdrv_pipe_open,
	.release = kdrv_pipe_release,
	.read = kdrv_pipe_read,
	.write = kdrv_pipe_write,
	.poll = kdrv_pipe_poll,
	.params = kdrv_pipe_params,
	.stats = kdrv_pipe_stats,
};
