// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_bench: ReadFile on \\.\KdrvRandom against user-mode BCryptGenRandom, under Wine.
 *
 * Prints "bench wine-random SIZE SOURCE MEDIAN MIN MAX" in MB/s for each read
 * size over ROUNDS rounds, the two sources taking turns in slices of about
 * 16 KiB, as tests/vm/prog/bench_test.c does in a VM, and the ratio of the
 * two round by round ("bench wine-random-ratio SIZE kdrv-random/bcryptgenrandom ...").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <bcrypt.h>

#include "kdrv/abi.h"

#define MAX_SIZE (1 << 20)
#define MAX_ROUNDS 100

static const DWORD sizes[] = { 16, 256, 4096, 65536, MAX_SIZE };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

enum { SRC_KDRV, SRC_BCRYPT, NSRC };
static const char *const src_names[NSRC] = { "kdrv-random", "bcryptgenrandom" };

static unsigned char *buf;
static HANDLE dev;
static int rounds;
static double seconds;
static LARGE_INTEGER freq;

static double now(void)
{
	LARGE_INTEGER t;

	QueryPerformanceCounter(&t);
	return (double)t.QuadPart / (double)freq.QuadPart;
}

static void fail(const char *what, DWORD size, unsigned long err)
{
	fprintf(stderr, "kdrv_bench: %s of %lu bytes failed: %lu\n", what, (unsigned long)size,
		err);
	exit(1);
}

static void fill(int src, DWORD size)
{
	DWORD got;
	NTSTATUS status;

	if (src == SRC_KDRV) {
		if (!ReadFile(dev, buf, size, &got, NULL))
			fail("ReadFile", size, GetLastError());
		if (got != size)
			fail("ReadFile (short)", size, got);
		return;
	}
	status = BCryptGenRandom(NULL, buf, size, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
	if (!BCRYPT_SUCCESS(status))
		fail("BCryptGenRandom", size, (unsigned long)status);
}

struct tally {
	double secs, bytes;
};

/* About 16 KiB per slice, at least one call. */
static void slice(int src, DWORD size, struct tally *t)
{
	DWORD n = size >= 16384 ? 1 : 16384 / size, i;
	double t0 = now();

	for (i = 0; i < n; i++)
		fill(src, size);
	t->secs += now() - t0;
	t->bytes += (double)n * size;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *kind, DWORD size, const char *source, double *x)
{
	qsort(x, (size_t)rounds, sizeof(*x), cmp_double);
	printf("bench %s %lu %s %.3f %.3f %.3f\n", kind, (unsigned long)size, source,
	       rounds % 2 ? x[rounds / 2] : (x[rounds / 2 - 1] + x[rounds / 2]) / 2, x[0],
	       x[rounds - 1]);
}

int main(int argc, char **argv)
{
	static double v[NSIZES][NSRC][MAX_ROUNDS];
	struct tally t[NSRC];
	size_t s;
	int r, k;

	if (argc != 3) {
		fprintf(stderr, "usage: %s ROUNDS MILLISECONDS\n", argv[0]);
		return 2;
	}
	rounds = atoi(argv[1]);
	seconds = atof(argv[2]) / 1000;
	if (rounds < 1 || rounds > MAX_ROUNDS || seconds <= 0) {
		fprintf(stderr, "expected 1-%d rounds and a positive time; saw %s and %s\n",
			MAX_ROUNDS, argv[1], argv[2]);
		return 2;
	}
	QueryPerformanceFrequency(&freq);
	buf = malloc(MAX_SIZE);
	if (!buf)
		return 1;
	dev = CreateFileA("\\\\.\\" KDRV_NT_RANDOM_NAME, GENERIC_READ, FILE_SHARE_READ, NULL,
			  OPEN_EXISTING, 0, NULL);
	if (dev == INVALID_HANDLE_VALUE)
		fail("CreateFile", 0, GetLastError());
	for (r = 0; r < rounds; r++)
		for (s = 0; s < NSIZES; s++) {
			memset(t, 0, sizeof(t));
			for (k = 0; k < NSRC; k++)
				fill(k, sizes[s]);
			while (t[0].secs < seconds || t[1].secs < seconds)
				for (k = 0; k < NSRC; k++)
					slice((r + k) % NSRC, sizes[s], &t[(r + k) % NSRC]);
			for (k = 0; k < NSRC; k++)
				v[s][k][r] = t[k].bytes / t[k].secs / 1e6;
		}
	for (s = 0; s < NSIZES; s++) {
		double q[MAX_ROUNDS];

		for (r = 0; r < rounds; r++)
			q[r] = v[s][SRC_KDRV][r] / v[s][SRC_BCRYPT][r];
		report("wine-random-ratio", sizes[s], "kdrv-random/bcryptgenrandom", q);
		for (k = 0; k < NSRC; k++)
			report("wine-random", sizes[s], src_names[k], v[s][k]);
	}
	CloseHandle(dev);
	return 0;
}
