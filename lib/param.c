// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Parameter parsing for every driver and OS: one syntax, one refusal message, one rate limit. */
#include "kdrv/driver.h"

/* A value's text may end in the one newline `echo` adds, and in nothing else. */
static size_t kdrv_param_trim(const char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		n--;
	return n;
}

/*
 * The refused text, for the log line that refuses it: quoted, cut to
 * KDRV_PARAM_QUOTE_MAX bytes and with anything unprintable as \xNN, so a
 * writer can neither forge a log line nor fill one.
 */
#define KDRV_PARAM_QUOTE_MAX 16
#define KDRV_PARAM_QUOTED (KDRV_PARAM_QUOTE_MAX * 4 + sizeof("''..."))

static void kdrv_param_quote(char *dst, const char *s)
{
	size_t n, i, out = 0;

	if (!s) {
		strcpy(dst, "nothing");
		return;
	}
	n = kdrv_param_trim(s);
	dst[out++] = '\'';
	for (i = 0; i < n && i < KDRV_PARAM_QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			dst[out++] = (char)c;
		else
			out += (size_t)snprintf(dst + out, 5, "\\x%02x", c);
	}
	dst[out++] = '\'';
	if (n > KDRV_PARAM_QUOTE_MAX) {
		memcpy(dst + out, "...", 3);
		out += 3;
	}
	dst[out] = '\0';
}

/*
 * Decimal without spaces, a plus sign or leading zeros: kstrtoint() and the
 * kernel's own int parameters read "050" as octal 40, so it is refused, not
 * guessed. A minus sign only where the range has negative values.
 */
static int kdrv_param_parse_int(const struct kdrv_param *p, const char *s, int *value)
{
	size_t n = kdrv_param_trim(s), i = 0;
	bool neg = false;
	int64_t v = 0;

	if (n && s[0] == '-' && p->min < 0) {
		neg = true;
		i = 1;
	}
	if (i == n || n - i > 10 || (n - i > 1 && s[i] == '0'))
		return -KDRV_EINVAL;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -KDRV_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < p->min || v > p->max)
		return -KDRV_EINVAL;
	*value = (int)v;
	return 0;
}

static int kdrv_param_parse_choice(const struct kdrv_param *p, const char *s, int *value)
{
	size_t n = kdrv_param_trim(s);
	int i;

	for (i = 0; p->choices[i]; i++) {
		if (strlen(p->choices[i]) == n && !memcmp(p->choices[i], s, n)) {
			*value = i;
			return 0;
		}
	}
	return -KDRV_EINVAL;
}

/* "a, b, c" into @buf, for the refusal line. */
static void kdrv_param_list_choices(const struct kdrv_param *p, char *buf, size_t size)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; p->choices[i] && used < size; i++)
		used +=
		    (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", p->choices[i]);
}

int kdrv_param_set(const struct kdrv_param *p, const char *val)
{
	char quoted[KDRV_PARAM_QUOTED], choices[96];
	int value, err = -KDRV_EINVAL;

	if (val)
		err = p->type == KDRV_PARAM_INT ? kdrv_param_parse_int(p, val, &value)
						: kdrv_param_parse_choice(p, val, &value);
	if (!err) {
		kdrv_write_once(*p->value, value);
		return 0;
	}
	kdrv_param_quote(quoted, val);
	if (p->type == KDRV_PARAM_INT) {
		kdrv_err_ratelimited("%s must be an integer from %d to %d, got %s", p->name, p->min,
				     p->max, quoted);
	} else {
		kdrv_param_list_choices(p, choices, sizeof(choices));
		kdrv_err_ratelimited("%s must be one of %s, got %s", p->name, choices, quoted);
	}
	return err;
}

int kdrv_param_get(const struct kdrv_param *p, char *buf, size_t size)
{
	int v = kdrv_read_once(*p->value);
	int i;

	if (p->type == KDRV_PARAM_INT)
		return snprintf(buf, size, "%d\n", v);
	for (i = 0; p->choices[i]; i++)
		if (i == v)
			return snprintf(buf, size, "%s\n", p->choices[i]);
	return snprintf(buf, size, "?\n");
}
