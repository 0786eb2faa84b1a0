/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The Windows layer's own helpers: errno conversion, IRP completion, sinks and sources. */
#ifndef KDRV_NT_H
#define KDRV_NT_H

#include "compat.h"
#include "kdrv/os.h"

/* Vendor device type (0x8000 and up), the one KDRV_IOCTL_PROCINFO_NT is built on. */
#define KDRV_NT_DEVICE_TYPE 0x8000

/**
 * kdrv_nt_status() - the one conversion of the core's errors to NTSTATUS.
 * @err:	0 or a negative errno from the core or the seam.
 *
 * Each errno gets a status whose Win32 error is distinct, so that a user
 * program (kdrvctl) can map it back to the errno a Linux caller sees.
 * Return: the status to complete an IRP or to return from DriverEntry with.
 */
NTSTATUS kdrv_nt_status(int err);

/**
 * kdrv_nt_complete() - complete an IRP; every dispatch routine ends here.
 * @irp:	the request.
 * @status:	its final status.
 * @info:	bytes transferred.
 *
 * Return: @status, for the dispatch routine to return.
 */
NTSTATUS kdrv_nt_complete(IRP *irp, NTSTATUS status, ULONG_PTR info);

/*
 * The arguments for "%.*ls", which prints a counted UNICODE_STRING: %wZ
 * would be NT's own way, but Wine 8.0's formatter does not know it (it
 * prints a 'Z' and shifts every later argument) and gcc cannot check it.
 */
#define KDRV_NT_USTR(s) (int)((s)->Length / sizeof(WCHAR)), (s)->Buffer

/* A struct kdrv_sink over a buffer in system space: an ioctl's system buffer, a read's MDL. */
struct kdrv_nt_sink {
	struct kdrv_sink sink;
	uint8_t *buf;
	size_t cap;
	size_t done;
};

static inline size_t kdrv_nt_sink_copy(struct kdrv_sink *sink, const void *src, size_t len)
{
	struct kdrv_nt_sink *s = CONTAINING_RECORD(sink, struct kdrv_nt_sink, sink);
	size_t n = kdrv_min(len, s->cap - s->done);

	memcpy(s->buf + s->done, src, n);
	s->done += n;
	return n;
}

#define KDRV_NT_SINK(b, n)                                                                         \
	{                                                                                          \
		.sink = { .copy = kdrv_nt_sink_copy }, .buf = (b), .cap = (n)                      \
	}

/* A struct kdrv_source over a buffer in system space, the mirror of struct kdrv_nt_sink. */
struct kdrv_nt_source {
	struct kdrv_source source;
	const uint8_t *buf;
	size_t cap;
	size_t done;
};

static inline size_t kdrv_nt_source_copy(struct kdrv_source *source, void *dst, size_t len)
{
	struct kdrv_nt_source *s = CONTAINING_RECORD(source, struct kdrv_nt_source, source);
	size_t n = kdrv_min(len, s->cap - s->done);

	memcpy(dst, s->buf + s->done, n);
	s->done += n;
	return n;
}

#define KDRV_NT_SOURCE(b, n)                                                                       \
	{                                                                                          \
		.source = { .copy = kdrv_nt_source_copy }, .buf = (b), .cap = (n)                  \
	}

#endif /* KDRV_NT_H */
