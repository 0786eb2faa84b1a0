// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrvctl: talks to the kdrv devices; the OS specifics live in plat_<os>.c. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "exit.h"
#include "plat.h"

static const char *kdrvctl_prog = "kdrvctl";

static void kdrvctl_usage(FILE *f)
{
	fprintf(f,
		"usage: %s COMMAND [OPTIONS]\n"
		"\n"
		"commands:\n"
		"  random [-n BYTES] [--raw]  read BYTES (default 32) from the random device;\n"
		"                             hex dump, or the bytes themselves with --raw\n"
		"  roulette [--spins N]       open the roulette device N times (default 1) and\n"
		"                             print each outcome, the tally and the boom rate\n"
		"  proc PID|self [--json]     look a process up through the procinfo device\n"
		"  pipe write                 copy standard input into the pipe device\n"
		"  pipe read [-n BYTES]       copy the pipe device to standard output until\n"
		"                             end of file (no writer left) or BYTES\n"
		"  status                     show loaded kdrv drivers, devices, parameters, "
		"counters\n"
		"  doctor [--json] [--kernel KREL] [--tree DIR] [--root DIR]\n"
		"                             why a kdrv module would not build or load on this\n"
		"                             Linux host: each finding ok, info, warn or FAIL,\n"
		"                             with its fix; --json prints them as JSON;\n"
		"                             --kernel checks another installed kernel (default:\n"
		"                             the running one); --tree names the kdrv checkout\n"
		"                             (default: this kdrvctl's, else the current folder);\n"
		"                             --root reads /lib/modules, /boot, /proc, /sys and\n"
		"                             /var/lib/dkms under DIR, for tests and for rescuing\n"
		"                             a mounted system (tools still come from PATH)\n",
		kdrvctl_prog);
	kdrvctl_plat_usage(f);
	fprintf(f, "\n"
		   "  -h, --help     this text\n"
		   "  -V, --version  print the version\n"
		   "\n"
		   "exit status: 0 success, 1 the operation failed, 2 usage error,\n"
		   "             3 the device is missing (its driver is not loaded),\n"
		   "             4 doctor found something that blocks building or loading,\n"
		   "             5 the command does not apply on this OS\n");
}

static int kdrvctl_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", kdrvctl_prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help'.\n", kdrvctl_prog);
	return KDRVCTL_USAGE;
}

/* Parses a whole decimal number in [min, max]; anything else is a usage error. */
static int kdrvctl_parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max)
		return -1;
	return 0;
}

static int kdrvctl_open_mode(enum kdrvctl_dev dev, bool write, struct kdrvctl_dev_handle **h)
{
	int err = kdrvctl_dev_open(dev, write, h);

	if (!err)
		return KDRVCTL_OK;
	if (err == -ENOENT) {
		fprintf(stderr, "%s: %s does not exist: %s\n", kdrvctl_prog, kdrvctl_dev_path(dev),
			kdrvctl_dev_load_hint(dev));
		return KDRVCTL_MISSING;
	}
	fprintf(stderr, "%s: cannot open %s: %s\n", kdrvctl_prog, kdrvctl_dev_path(dev),
		strerror(-err));
	return KDRVCTL_FAILED;
}

static int kdrvctl_open(enum kdrvctl_dev dev, struct kdrvctl_dev_handle **h)
{
	return kdrvctl_open_mode(dev, false, h);
}

static void kdrvctl_hexdump(const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			printf("%08zx ", i);
		printf(" %02x", buf[i]);
		if (i % 16 == 15 || i + 1 == len)
			printf("\n");
	}
}

static int kdrvctl_random(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bytes", required_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct kdrvctl_dev_handle *h;
	long long len = 32;
	unsigned char *buf;
	int raw = 0, c, ret;
	int64_t got;

	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c == 'n' && kdrvctl_parse_num(optarg, 0, 1ll << 30, &len))
			return kdrvctl_usage_error(
			    "random: -n wants a byte count from 0 to 2^30, got '%s'", optarg);
		else if (c == 'r')
			raw = 1;
		else if (c == '?')
			return KDRVCTL_USAGE;
	}
	if (optind < argc)
		return kdrvctl_usage_error("random: unexpected argument '%s'", argv[optind]);

	buf = malloc(len ? (size_t)len : 1);
	if (!buf) {
		fprintf(stderr, "%s: out of memory for %lld bytes\n", kdrvctl_prog, len);
		return KDRVCTL_FAILED;
	}
	ret = kdrvctl_open(KDRVCTL_DEV_RANDOM, &h);
	if (ret)
		goto out_free;
	got = kdrvctl_dev_read(h, buf, (size_t)len);
	kdrvctl_dev_close(h);
	if (got < 0) {
		fprintf(stderr, "%s: reading %s: %s\n", kdrvctl_prog,
			kdrvctl_dev_path(KDRVCTL_DEV_RANDOM), strerror((int)-got));
		ret = KDRVCTL_FAILED;
		goto out_free;
	}
	if (got != len) {
		fprintf(stderr, "%s: short read from %s: wanted %lld bytes, got %" PRId64 "\n",
			kdrvctl_prog, kdrvctl_dev_path(KDRVCTL_DEV_RANDOM), len, got);
		ret = KDRVCTL_FAILED;
	}
	if (raw)
		fwrite(buf, 1, (size_t)got, stdout);
	else
		kdrvctl_hexdump(buf, (size_t)got);
	if (fflush(stdout)) {
		fprintf(stderr, "%s: writing output: %s\n", kdrvctl_prog, strerror(errno));
		ret = KDRVCTL_FAILED;
	}
out_free:
	free(buf);
	return ret;
}

/* One spin: sets *survived (a boom reads as EIO) or returns the exit code of a failure. */
static int kdrvctl_spin(char *msg, size_t cap, int *survived)
{
	struct kdrvctl_dev_handle *h;
	int64_t got;
	int ret = kdrvctl_open(KDRVCTL_DEV_ROULETTE, &h);

	if (ret)
		return ret;
	got = kdrvctl_dev_read(h, msg, cap - 1);
	kdrvctl_dev_close(h);
	if (got < 0 && got != -EIO) {
		fprintf(stderr, "%s: reading %s: %s\n", kdrvctl_prog,
			kdrvctl_dev_path(KDRVCTL_DEV_ROULETTE), strerror((int)-got));
		return KDRVCTL_FAILED;
	}
	*survived = got >= 0;
	msg[got >= 0 ? got : 0] = '\0';
	return KDRVCTL_OK;
}

static int kdrvctl_roulette(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spins", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	long long spins = 1, i, survived = 0, booms = 0;
	char msg[128];
	int c, r, ret;

	while ((c = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
		if (c == 's' && kdrvctl_parse_num(optarg, 1, 100000000, &spins))
			return kdrvctl_usage_error(
			    "roulette: --spins wants a count from 1 to 10^8, got '%s'", optarg);
		else if (c == '?')
			return KDRVCTL_USAGE;
	}
	if (optind < argc)
		return kdrvctl_usage_error("roulette: unexpected argument '%s'", argv[optind]);

	for (i = 0; i < spins; i++) {
		ret = kdrvctl_spin(msg, sizeof(msg), &r);
		if (ret)
			return ret;
		survived += r;
		booms += !r;
		if (spins == 1)
			fputs(r ? msg : "Boom! (the read failed with EIO)\n", stdout);
	}
	printf("spins: %lld, survived: %lld, booms: %lld, observed boom rate: %.2f%%\n", spins,
	       survived, booms, 100.0 * (double)booms / (double)spins);
	return KDRVCTL_OK;
}

static void kdrvctl_field(int json, const char *name, const char *val, int quoted)
{
	if (json)
		printf(quoted ? ", \"%s\": \"%s\"" : ", \"%s\": %s", name, val);
	else
		printf("%-9s %s\n", name, val);
}

/* Prints the fields the driver filled; the others are unknown on that OS and left out. */
static void kdrvctl_proc_print(const struct kdrv_procinfo *p, int json)
{
	char v[32];

	if (json)
		printf("{\"pid\": %" PRId32, p->pid);
	else
		printf("%-9s %" PRId32 "\n", "pid", p->pid);
	if (p->mask & KDRV_PROC_TGID) {
		snprintf(v, sizeof(v), "%" PRId32, p->tgid);
		kdrvctl_field(json, "tgid", v, 0);
	}
	if (p->mask & KDRV_PROC_PPID) {
		snprintf(v, sizeof(v), "%" PRId32, p->ppid);
		kdrvctl_field(json, "ppid", v, 0);
	}
	if (p->mask & KDRV_PROC_STATE) {
		snprintf(v, sizeof(v), "%c", p->state);
		kdrvctl_field(json, "state", v, 1);
	}
	if (p->mask & KDRV_PROC_UID) {
		snprintf(v, sizeof(v), "%" PRIu32, p->uid);
		kdrvctl_field(json, "uid", v, 0);
	}
	if (p->mask & KDRV_PROC_START_TIME) {
		snprintf(v, sizeof(v), "%" PRIu64, p->start_time_ns);
		kdrvctl_field(json, "start_ns", v, 0);
	}
	if (p->mask & KDRV_PROC_COMM) {
		snprintf(v, sizeof(v), "%.*s", KDRV_PROC_COMM_LEN, p->comm);
		kdrvctl_field(json, "comm", v, 1);
	}
	if (json)
		printf("}\n");
}

static int kdrvctl_proc(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct kdrv_procinfo info = { .size = sizeof(info) };
	struct kdrvctl_dev_handle *h;
	long long pid;
	int json = 0, c, err, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else
			return KDRVCTL_USAGE;
	}
	if (optind + 1 != argc)
		return kdrvctl_usage_error("proc: wants exactly one PID or 'self'%s", "");
	if (!strcmp(argv[optind], "self"))
		pid = kdrvctl_self_pid();
	else if (kdrvctl_parse_num(argv[optind], INT32_MIN, INT32_MAX, &pid))
		return kdrvctl_usage_error("proc: '%s' is not a pid", argv[optind]);

	ret = kdrvctl_open(KDRVCTL_DEV_PROCINFO, &h);
	if (ret)
		return ret;
	info.pid = (int32_t)pid;
	err = kdrvctl_dev_procinfo(h, &info);
	kdrvctl_dev_close(h);
	if (err == -ESRCH) {
		fprintf(stderr, "%s: no process %lld visible to this caller\n", kdrvctl_prog, pid);
		return KDRVCTL_FAILED;
	}
	if (err) {
		fprintf(stderr, "%s: proc %lld: %s\n", kdrvctl_prog, pid, strerror(-err));
		return KDRVCTL_FAILED;
	}
	kdrvctl_proc_print(&info, json);
	return KDRVCTL_OK;
}

#define KDRVCTL_PIPE_CHUNK 65536

static int kdrvctl_pipe_write(void)
{
	static char buf[KDRVCTL_PIPE_CHUNK];
	struct kdrvctl_dev_handle *h;
	int ret = kdrvctl_open_mode(KDRVCTL_DEV_PIPE, true, &h);
	size_t n;
	int64_t put;

	if (ret)
		return ret;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		put = kdrvctl_dev_write(h, buf, n);
		if (put < 0) {
			fprintf(stderr, "%s: write to %s: %s\n", kdrvctl_prog,
				kdrvctl_dev_path(KDRVCTL_DEV_PIPE), strerror((int)-put));
			ret = KDRVCTL_FAILED;
			break;
		}
	}
	if (!ret && ferror(stdin)) {
		fprintf(stderr, "%s: reading standard input failed\n", kdrvctl_prog);
		ret = KDRVCTL_FAILED;
	}
	kdrvctl_dev_close(h);
	return ret;
}

static int kdrvctl_pipe_read(long long limit)
{
	static char buf[KDRVCTL_PIPE_CHUNK];
	struct kdrvctl_dev_handle *h;
	int ret = kdrvctl_open_mode(KDRVCTL_DEV_PIPE, false, &h);
	long long done = 0;
	int64_t got;

	if (ret)
		return ret;
	while (limit < 0 || done < limit) {
		size_t want = sizeof(buf);

		if (limit >= 0 && (long long)want > limit - done)
			want = (size_t)(limit - done);
		got = kdrvctl_dev_read_some(h, buf, want);
		if (got < 0) {
			fprintf(stderr, "%s: read from %s: %s\n", kdrvctl_prog,
				kdrvctl_dev_path(KDRVCTL_DEV_PIPE), strerror((int)-got));
			ret = KDRVCTL_FAILED;
			break;
		}
		if (!got)
			break;
		if (fwrite(buf, 1, (size_t)got, stdout) != (size_t)got || fflush(stdout)) {
			fprintf(stderr, "%s: writing standard output failed\n", kdrvctl_prog);
			ret = KDRVCTL_FAILED;
			break;
		}
		done += got;
	}
	kdrvctl_dev_close(h);
	return ret;
}

static int kdrvctl_pipe(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bytes", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	long long limit = -1;
	int c;

	if (argc < 2)
		return kdrvctl_usage_error("pipe: wants 'read' or 'write'%s", "");
	if (!strcmp(argv[1], "write"))
		return argc == 2
			   ? kdrvctl_pipe_write()
			   : kdrvctl_usage_error("pipe write: unexpected argument '%s'", argv[2]);
	if (strcmp(argv[1], "read"))
		return kdrvctl_usage_error("pipe: wants 'read' or 'write', got '%s'", argv[1]);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c == 'n' && kdrvctl_parse_num(optarg, 0, 1ll << 40, &limit))
			return kdrvctl_usage_error("pipe read: -n wants a byte count, got '%s'",
						   optarg);
		else if (c == '?')
			return KDRVCTL_USAGE;
	}
	if (optind < argc)
		return kdrvctl_usage_error("pipe read: unexpected argument '%s'", argv[optind]);
	return kdrvctl_pipe_read(limit);
}

/* A kernel release names a folder of /lib/modules: no slash, no leading dot, 64 bytes at most. */
static bool kdrvctl_is_krel(const char *s)
{
	return *s && *s != '.' && strlen(s) <= 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_~") ==
		   strlen(s);
}

static int kdrvctl_doctor_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "tree", required_argument, NULL, 't' },
		{ "root", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct kdrvctl_doctor_opts o = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			o.json = true;
		else if (c == 'k' && !kdrvctl_is_krel(optarg))
			return kdrvctl_usage_error(
			    "doctor: --kernel wants a kernel release like 6.12.117+deb12-amd64, "
			    "got '%s'",
			    optarg);
		else if (c == 'k')
			o.kernel = optarg;
		else if (c == 't')
			o.tree = optarg;
		else if (c == 'r')
			o.root = optarg;
		else
			return KDRVCTL_USAGE;
	}
	if (optind < argc)
		return kdrvctl_usage_error("doctor: unexpected argument '%s'", argv[optind]);
	return kdrvctl_doctor(&o);
}

int main(int argc, char **argv)
{
	const char *cmd;
	int ret;

	if (argc < 2) {
		kdrvctl_usage(stderr);
		return KDRVCTL_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		kdrvctl_usage(stdout);
		return KDRVCTL_OK;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("kdrvctl %s\n", KDRV_VERSION);
		return KDRVCTL_OK;
	}
	argc--;
	argv++;
	if (!strcmp(cmd, "random"))
		return kdrvctl_random(argc, argv);
	if (!strcmp(cmd, "roulette"))
		return kdrvctl_roulette(argc, argv);
	if (!strcmp(cmd, "proc"))
		return kdrvctl_proc(argc, argv);
	if (!strcmp(cmd, "pipe"))
		return kdrvctl_pipe(argc, argv);
	if (!strcmp(cmd, "doctor"))
		return kdrvctl_doctor_cmd(argc, argv);
	if (!strcmp(cmd, "status"))
		return argc == 1 ? kdrvctl_status()
				 : kdrvctl_usage_error("status takes no arguments%s", "");
	ret = kdrvctl_plat_command(cmd, argc, argv);
	if (ret >= 0)
		return ret;
	return kdrvctl_usage_error("unknown command '%s'", cmd);
}
