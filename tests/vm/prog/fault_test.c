// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * In-VM fault injection (debug kernel): a module load, then each request of its
 * device, is repeated with the Nth allocation (or user copy) made with kdrv's
 * code on the stack failing, for N = 1, 2, ... until a run passes every site.
 * Each run must fail cleanly with a documented errno, or succeed with the
 * failure absorbed, and lose nothing: no module or device left behind after a
 * refused load, no pipe byte lost or duplicated after a refused copy.
 *
 * The kernel's fail-nth (/proc/self/fail-nth) counts only the calls that pass
 * an injector's stacktrace filter, and the filter here is the module area: in
 * the debug kernel everything else is built in, so a frame there is kdrv's.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kdrv/abi.h"
#include "check.h"

#define FAULT_DEBUGFS "/sys/kernel/debug/"
/* x86_64: the module area ends where the fixmap begins. */
#define FAULT_MODULES_END 0xffffffffff000000ul
/* More sites than any kdrv path has: a run that never passes them all is stuck. */
#define FAULT_MAX_SITES 400

static const char *const fault_kinds[] = { "failslab", "fail_page_alloc", "fail_usercopy" };

struct fault_tally {
	int sites;    /* injections made: the runs before the clean one */
	int refused;  /* ... after which the call failed with a documented errno */
	int absorbed; /* ... after which it succeeded anyway */
};

static void fault_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		FAIL("write '%s' to %s: %s", val, path, strerror(errno));
	close(fd);
}

static void fault_attr(const char *kind, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), FAULT_DEBUGFS "%s/%s", kind, attr);
	fault_write(path, val);
}

/* The kernel image's end: above it on x86_64 lie only modules and the fixmap. */
static unsigned long fault_kernel_end(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[256], type, name[128];
	unsigned long addr;

	if (!f)
		FAIL("open /proc/kallsyms: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %127s", &addr, &type, name) == 3 &&
		    !strcmp(name, "_end")) {
			fclose(f);
			if (!addr)
				FAIL("/proc/kallsyms shows _end at 0: expected kptr_restrict=0");
			return addr;
		}
	FAIL("expected _end in /proc/kallsyms; not found");
}

/*
 * Aims @kind at the module area and every other injector at nothing, so a run
 * counts the sites of one kind. Failures are silent (verbose 0): the ones that
 * matter show as the errno of the call.
 */
static void fault_aim(const char *kind)
{
	char start[32], end[32];
	size_t i;

	snprintf(start, sizeof(start), "0x%lx", fault_kernel_end());
	snprintf(end, sizeof(end), "0x%lx", FAULT_MODULES_END);
	for (i = 0; i < sizeof(fault_kinds) / sizeof(fault_kinds[0]); i++) {
		bool on = !strcmp(kind, fault_kinds[i]);

		fault_attr(fault_kinds[i], "verbose", "0");
		fault_attr(fault_kinds[i], "stacktrace-depth", "32");
		fault_attr(fault_kinds[i], "require-start", on ? start : "0");
		fault_attr(fault_kinds[i], "require-end", on ? end : "0");
	}
	/* GFP_KERNEL, highmem (vmalloc's pages) and order 0 are all kdrv asks for. */
	fault_attr("failslab", "ignore-gfp-wait", "0");
	fault_attr("fail_page_alloc", "ignore-gfp-wait", "0");
	fault_attr("fail_page_alloc", "ignore-gfp-highmem", "0");
	fault_attr("fail_page_alloc", "min-order", "0");
}

static const char *fault_kind(const char *arg)
{
	if (!strcmp(arg, "slab"))
		return "failslab";
	if (!strcmp(arg, "page"))
		return "fail_page_alloc";
	if (!strcmp(arg, "usercopy"))
		return "fail_usercopy";
	FAIL("expected a kind slab, page or usercopy; saw '%s'", arg);
}

/* Arms the Nth filtered call of this task to fail; nothing else may run before the call. */
static void fault_arm(int n)
{
	char val[16];

	snprintf(val, sizeof(val), "%d", n);
	fault_write("/proc/self/fail-nth", val);
}

/* Disarms, and says whether the armed failure was injected. */
static bool fault_fired(void)
{
	char buf[16] = "";
	int fd = open("/proc/self/fail-nth", O_RDWR);
	bool fired;

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		FAIL("read /proc/self/fail-nth: %s", strerror(errno));
	fired = atoi(buf) == 0;
	close(fd);
	fault_write("/proc/self/fail-nth", "0");
	return fired;
}

static void fault_report(const char *driver, const char *op, const char *kind,
			 const struct fault_tally *t)
{
	printf("fault %s %s %s: %d injected, %d refused, %d absorbed\n", driver, op, kind, t->sites,
	       t->refused, t->absorbed);
}

static bool fault_exists(const char *fmt, const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), fmt, name);
	return !stat(path, &st);
}

/* kdrv_pipe -> kdrv-pipe: the device a module registers, if it has one. */
static void fault_dev_name(const char *module, char *dev, size_t len)
{
	char *p;

	snprintf(dev, len, "%s", module);
	for (p = dev; *p; p++)
		if (*p == '_')
			*p = '-';
}

static int fault_load_sweep(char **args)
{
	const char *kind = fault_kind(args[0]), *ko = args[1], *params = args[2];
	const char *base = strrchr(ko, '/') ? strrchr(ko, '/') + 1 : ko;
	struct fault_tally t = { 0 };
	char module[64], dev[64];
	int n;

	snprintf(module, sizeof(module), "%.*s", (int)(strcspn(base, ".")), base);
	fault_dev_name(module, dev, sizeof(dev));
	fault_aim(kind);
	for (n = 1; n <= FAULT_MAX_SITES; n++) {
		int fd = open_or_die(ko, O_RDONLY | O_CLOEXEC);
		long ret;
		int err;
		bool fired;

		fault_arm(n);
		ret = syscall(SYS_finit_module, fd, params, 0);
		err = errno;
		fired = fault_fired();
		close(fd);
		if (ret && !fired)
			FAIL("%s: load %d failed with no failure injected: %s", module, n,
			     strerror(err));
		if (ret && err != ENOMEM)
			FAIL("%s: load with site %d of %s failing: expected ENOMEM, saw %s", module,
			     n, kind, strerror(err));
		if (ret) {
			t.refused++;
			if (fault_exists("/sys/module/%s", module))
				FAIL("%s: refused load %d left /sys/module/%s", module, n, module);
			if (fault_exists("/sys/class/misc/%s", dev) || fault_exists("/dev/%s", dev))
				FAIL("%s: refused load %d left device %s registered", module, n,
				     dev);
		} else {
			t.absorbed += fired;
			if (syscall(SYS_delete_module, module, O_NONBLOCK))
				FAIL("%s: unload after load %d: %s", module, n, strerror(errno));
		}
		if (!fired) {
			t.sites = n - 1;
			fault_report(module, "load", args[0], &t);
			return 0;
		}
	}
	FAIL("%s: load still reached an injection after %d sites", module, FAULT_MAX_SITES);
}

/* A documented failure of a request: out of memory, or a copy that faulted. */
static bool fault_documented(int err)
{
	return err == ENOMEM || err == EFAULT;
}

static unsigned char fault_pattern(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 8));
}

static void fault_drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if (errno != EAGAIN)
		FAIL("drain the pipe: expected EAGAIN at empty, saw %s", strerror(errno));
}

/*
 * Checks that the pipe now holds exactly pattern bytes [@from, @to), in order:
 * a refused or partial request took or left exactly what its count says.
 */
static void fault_expect_pipe(int fd, size_t from, size_t to, const char *what)
{
	static unsigned char buf[16384];
	ssize_t got = read(fd, buf, sizeof(buf));
	size_t i;

	if (to == from) {
		if (got != -1 || errno != EAGAIN)
			FAIL("%s: expected an empty pipe; read gave %zd (%s)", what, got,
			     strerror(errno));
		return;
	}
	if (got != (ssize_t)(to - from))
		FAIL("%s: expected %zu bytes left in the pipe, read %zd", what, to - from, got);
	for (i = 0; i < (size_t)got; i++)
		if (buf[i] != fault_pattern(from + i))
			FAIL("%s: byte %zu of the stream is wrong", what, from + i);
	fault_drain(fd);
}

enum fault_op { OP_OPEN, OP_READ, OP_WRITE, OP_IOCTL, OP_POLL };

enum fault_outcome { FAULT_MISSED, FAULT_REFUSED, FAULT_ABSORBED };

/*
 * One request on the device, armed at site @n: whether the armed failure fired,
 * and if so whether the request failed (or came up short) or did all it was
 * asked anyway. Fails the program on any undocumented result.
 */
static enum fault_outcome fault_request(const char *dev, enum fault_op op, size_t len, int n)
{
	static unsigned char buf[1 << 16], want[8192];
	bool pipe = strstr(dev, "pipe") != NULL;
	/* The roulette's read returns its one message, shorter than asked. */
	bool exact = (op == OP_READ && !strstr(dev, "roulette")) || op == OP_WRITE;
	int flags = pipe ? O_RDWR | O_NONBLOCK : O_RDONLY;
	struct kdrv_procinfo info = { .size = sizeof(info), .pid = getpid() };
	struct pollfd pfd = { .events = POLLIN | POLLOUT };
	int fd = -1, err;
	long ret = 0;
	bool fired;
	size_t i;

	if (op != OP_OPEN)
		fd = open_or_die(dev, flags);
	if (pipe) {
		if (fd >= 0)
			fault_drain(fd);
		for (i = 0; i < sizeof(want); i++)
			want[i] = fault_pattern(i);
		if (op == OP_READ && write(fd, want, len) != (ssize_t)len)
			FAIL("fill the pipe with %zu bytes: %s", len, strerror(errno));
	}
	fault_arm(n);
	switch (op) {
	case OP_OPEN:
		ret = fd = open(dev, flags);
		break;
	case OP_READ:
		ret = read(fd, buf, len);
		break;
	case OP_WRITE:
		ret = write(fd, want, len);
		break;
	case OP_IOCTL:
		ret = ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, &info);
		break;
	case OP_POLL:
		pfd.fd = fd;
		ret = poll(&pfd, 1, 0);
		break;
	}
	err = errno;
	fired = fault_fired();
	if (ret < 0 && !fired)
		FAIL("%s: request failed with no failure injected: %s", dev, strerror(err));
	if (ret < 0 && !(fault_documented(err) && (op != OP_OPEN || err == ENOMEM)))
		FAIL("%s: site %d failing: expected ENOMEM or EFAULT, saw %s", dev, n,
		     strerror(err));
	if (ret >= 0 && (op == OP_READ || op == OP_WRITE) && (size_t)ret > len)
		FAIL("%s: a request of %zu bytes returned %ld", dev, len, ret);
	if (ret >= 0 && (size_t)ret < len && exact && !fired)
		FAIL("%s: short count %ld of %zu with no failure injected", dev, ret, len);
	if (pipe && op == OP_READ) {
		size_t took = ret > 0 ? (size_t)ret : 0;

		for (i = 0; i < took; i++)
			if (buf[i] != fault_pattern(i))
				FAIL("%s: read byte %zu is wrong after site %d failed", dev, i, n);
		fault_expect_pipe(fd, took, len, "the bytes a faulted read did not take");
	} else if (pipe && op == OP_WRITE) {
		fault_expect_pipe(fd, 0, ret > 0 ? (size_t)ret : 0,
				  "the bytes a faulted write says it wrote");
	}
	if (fd >= 0)
		close(fd);
	if (!fired)
		return FAULT_MISSED;
	if (ret < 0 || (exact && (size_t)ret < len))
		return FAULT_REFUSED;
	return FAULT_ABSORBED;
}

static int fault_ops_sweep(char **args)
{
	static const struct {
		const char *driver;
		const char *name;
		enum fault_op op;
		size_t len;
	} reqs[] = {
		{ "random", "open", OP_OPEN, 0 },	 { "random", "read16", OP_READ, 16 },
		{ "random", "read4096", OP_READ, 4096 }, { "random", "read65536", OP_READ, 65536 },
		{ "roulette", "open", OP_OPEN, 0 },	 { "roulette", "read", OP_READ, 256 },
		{ "procinfo", "open", OP_OPEN, 0 },	 { "procinfo", "ioctl", OP_IOCTL, 0 },
		{ "pipe", "open", OP_OPEN, 0 },		 { "pipe", "write", OP_WRITE, 8192 },
		{ "pipe", "read", OP_READ, 8192 },	 { "pipe", "poll", OP_POLL, 0 },
	};
	const char *kind = fault_kind(args[0]), *driver = args[1];
	char dev[64], module[64];
	size_t r;
	bool known = false;

	snprintf(dev, sizeof(dev), "/dev/kdrv-%s", driver);
	snprintf(module, sizeof(module), "kdrv_%s", driver);
	fault_aim(kind);
	for (r = 0; r < sizeof(reqs) / sizeof(reqs[0]); r++) {
		struct fault_tally t = { 0 };
		int n;

		if (strcmp(reqs[r].driver, driver))
			continue;
		known = true;
		for (n = 1; n <= FAULT_MAX_SITES; n++) {
			enum fault_outcome o = fault_request(dev, reqs[r].op, reqs[r].len, n);

			if (o == FAULT_MISSED)
				break;
			t.sites++;
			t.refused += o == FAULT_REFUSED;
			t.absorbed += o == FAULT_ABSORBED;
		}
		if (n > FAULT_MAX_SITES)
			FAIL("%s %s: still reached an injection after %d sites", module,
			     reqs[r].name, FAULT_MAX_SITES);
		fault_report(module, reqs[r].name, args[0], &t);
	}
	if (!known)
		FAIL("expected a driver random, roulette, procinfo or pipe; saw '%s'", driver);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct test_cmd cmds[] = {
		{ "load", 3, fault_load_sweep },
		{ "ops", 2, fault_ops_sweep },
		{ NULL, 0, NULL },
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	return run_cmd(cmds, argc, argv);
}
