/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cri_log: parse CRI log lines and format their timestamps (cri_log.h).
 * The timestamp is read with ktime_parse (Go's RFC 3339 rules, any
 * offset); the stream must be stdout or stderr and the tag's first field
 * P or F, as kubelet's parseCRILog checks.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/node/cri_log.h"
#include "common/ktime.h"

#define TS_IN_MAX 64

/* Next space-delimited field of [*p, end): its start and length. */
static int next_field(const char **p, const char *end, const char **f,
		      size_t *n)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));

	if (!sp)
		return -1;
	*f = *p;
	*n = (size_t)(sp - *p);
	*p = sp + 1;
	return 0;
}

static int parse_ts(const char *f, size_t n, int64_t *ns)
{
	char tmp[TS_IN_MAX];
	struct ktime t;
	struct err e;

	if (n == 0 || n >= sizeof(tmp) || memchr(f, '\0', n))
		return -1;
	memcpy(tmp, f, n);
	tmp[n] = '\0';
	if (ktime_parse(tmp, &t, &e) < 0)
		return -1;
	if (t.sec > INT64_MAX / KTIME_NS_PER_SEC - 1 ||
	    t.sec < INT64_MIN / KTIME_NS_PER_SEC + 1)
		return -1;
	*ns = t.sec * KTIME_NS_PER_SEC + t.nsec;
	return 0;
}

int cri_log_parse(const char *line, size_t len, struct cri_log_line *out)
{
	const char *p = line, *end = line + len, *f, *colon;
	struct cri_log_line l;
	size_t n, tag_len;

	if (len && end[-1] == '\n')
		end--;
	memset(&l, 0, sizeof(l));
	if (next_field(&p, end, &f, &n) < 0 || parse_ts(f, n, &l.ts_ns) < 0)
		return -1;
	if (next_field(&p, end, &f, &n) < 0)
		return -1;
	if (n == 6 && !memcmp(f, "stderr", 6))
		l.is_stderr = true;
	else if (n != 6 || memcmp(f, "stdout", 6))
		return -1;
	if (next_field(&p, end, &f, &n) < 0)
		return -1;
	colon = memchr(f, ':', n);
	tag_len = colon ? (size_t)(colon - f) : n;
	if (tag_len != 1 || (f[0] != 'P' && f[0] != 'F'))
		return -1;
	l.partial = f[0] == 'P';
	l.text = p;
	l.len = (size_t)(end - p);
	*out = l;
	return 0;
}

char *cri_log_format_ts(int64_t ts_ns, char *out)
{
	struct ktime t;
	char base[KTIME_STR_MAX], frac[16];
	size_t n;

	t.sec = ts_ns / KTIME_NS_PER_SEC;
	t.nsec = (int32_t)(ts_ns % KTIME_NS_PER_SEC);
	if (t.nsec < 0) {
		t.nsec += (int32_t)KTIME_NS_PER_SEC;
		t.sec--;
	}
	ktime_format(&t, base);	/* "...:05Z" */
	n = strlen(base);
	if (n)
		base[n - 1] = '\0';
	frac[0] = '\0';
	if (t.nsec) {
		snprintf(frac, sizeof(frac), ".%09d", (int)t.nsec);
		for (n = strlen(frac); frac[n - 1] == '0'; n--)
			frac[n - 1] = '\0';
	}
	snprintf(out, CRI_LOG_TS_MAX, "%s%sZ", base, frac);
	return out;
}
