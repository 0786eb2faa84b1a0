/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Helpers for the in-VM test programs: each subcommand is one assertion, exit 0 or 1. */
#ifndef KDRV_CHECK_H
#define KDRV_CHECK_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fails the program with what was expected and what was seen. */
#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "FAIL %s: ", __func__);                                            \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fprintf(stderr, "\n");                                                             \
		exit(1);                                                                           \
	} while (0)

#define EXPECT_ERRNO(ret, err, what)                                                               \
	do {                                                                                       \
		long r_ = (long)(ret);                                                             \
		int e_ = errno;                                                                    \
		if (r_ != -1 || e_ != (err))                                                       \
			FAIL("%s: expected -1 with errno %d (%s), saw %ld with errno %d (%s)",     \
			     what, err, strerror(err), r_, e_, strerror(e_));                      \
	} while (0)

static inline int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		FAIL("open %s: %s", path, strerror(errno));
	return fd;
}

static inline long long arg_num(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 0);

	if (*end || end == s)
		FAIL("bad number '%s'", s);
	return v;
}

/* Dispatches argv[1] to the matching test; usage errors exit 2. */
struct test_cmd {
	const char *name;
	int nargs;
	int (*fn)(char **args);
};

static inline int run_cmd(const struct test_cmd *cmds, int argc, char **argv)
{
	const struct test_cmd *c;

	for (c = cmds; argc >= 2 && c->name; c++)
		if (!strcmp(c->name, argv[1]) && argc - 2 == c->nargs)
			return c->fn(argv + 2);
	fprintf(stderr, "usage: %s TEST [ARGS]; tests:", argv[0]);
	for (c = cmds; c->name; c++)
		fprintf(stderr, " %s/%d", c->name, c->nargs);
	fprintf(stderr, "\n");
	return 2;
}

#endif
