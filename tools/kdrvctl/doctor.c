// SPDX-License-Identifier: GPL-2.0 OR MIT
/* `kdrvctl doctor`'s findings: collected by the OS's checks, printed as text or JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "exit.h"

static const char *const kdrvctl_doctor_words[] = {
	[KDRVCTL_DOCTOR_OK] = "ok",
	[KDRVCTL_DOCTOR_INFO] = "info",
	[KDRVCTL_DOCTOR_WARN] = "warn",
	[KDRVCTL_DOCTOR_FAIL] = "FAIL",
};

void kdrvctl_doctor_add(struct kdrvctl_doctor *d, enum kdrvctl_doctor_status status,
			const char *name, const char *fix, const char *fmt, ...)
{
	struct kdrvctl_doctor_finding *f;
	va_list ap;

	/* The checks add fewer than a dozen and a half: more would be a bug, dropped not overrun.
	 */
	if (d->count == KDRVCTL_DOCTOR_MAX)
		return;
	f = &d->findings[d->count++];
	f->status = status;
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->fix, sizeof(f->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

static void kdrvctl_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void kdrvctl_doctor_json(const struct kdrvctl_doctor *d, bool blocked)
{
	const struct kdrvctl_doctor_finding *f;
	unsigned int i;

	fputs("{\"kernel\": ", stdout);
	kdrvctl_json_str(d->kernel);
	printf(", \"running\": %s, \"blocked\": %s, \"findings\": [", d->running ? "true" : "false",
	       blocked ? "true" : "false");
	for (i = 0; i < d->count; i++) {
		f = &d->findings[i];
		fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", stdout);
		kdrvctl_json_str(f->name);
		printf(", \"status\": \"%s\", \"detail\": ",
		       f->status == KDRVCTL_DOCTOR_FAIL ? "fail" : kdrvctl_doctor_words[f->status]);
		kdrvctl_json_str(f->detail);
		fputs(", \"fix\": ", stdout);
		if (f->fix[0])
			kdrvctl_json_str(f->fix);
		else
			fputs("null", stdout);
		putchar('}');
	}
	puts("\n]}");
}

int kdrvctl_doctor_report(const struct kdrvctl_doctor *d, bool json)
{
	const struct kdrvctl_doctor_finding *f;
	unsigned int i, fails = 0, warns = 0;

	for (i = 0; i < d->count; i++) {
		fails += d->findings[i].status == KDRVCTL_DOCTOR_FAIL;
		warns += d->findings[i].status == KDRVCTL_DOCTOR_WARN;
	}
	if (json) {
		kdrvctl_doctor_json(d, fails);
	} else {
		printf("kdrvctl doctor: kernel %s%s\n", d->kernel,
		       d->running ? " (running)" : " (not running)");
		for (i = 0; i < d->count; i++) {
			f = &d->findings[i];
			printf("%-4s  %s: %s\n", kdrvctl_doctor_words[f->status], f->name,
			       f->detail);
			if (f->fix[0])
				printf("      fix: %s\n", f->fix);
		}
		if (fails)
			printf("kdrvctl doctor: %u problem%s block%s building or loading kdrv on %s"
			       " (%u warning%s)\n",
			       fails, fails == 1 ? "" : "s", fails == 1 ? "s" : "", d->kernel,
			       warns, warns == 1 ? "" : "s");
		else
			printf("kdrvctl doctor: nothing blocks building and loading kdrv on %s"
			       " (%u warning%s)\n",
			       d->kernel, warns, warns == 1 ? "" : "s");
	}
	if (fflush(stdout)) {
		fprintf(stderr, "kdrvctl: writing output failed\n");
		return KDRVCTL_FAILED;
	}
	return fails ? KDRVCTL_BLOCKED : KDRVCTL_OK;
}
