/* SPDX-License-Identifier: Apache-2.0 */
/* test_quantity: parsing, canonical printing, arithmetic of quantities. */
#include "config.h"

#include "common/quantity.h"
#include "../tap.h"

struct canon_case {
	const char *in;
	const char *canonical;
	long long value;
	long long milli;
};

/* Expected strings are what apimachinery's Quantity.String() prints. */
static const struct canon_case canon[] = {
	{ "0", "0", 0, 0 },
	{ "100m", "100m", 1, 100 },
	{ "1500m", "1500m", 2, 1500 },
	{ "1000m", "1", 1, 1000 },
	{ "1.5Gi", "1536Mi", 1610612736LL, 1610612736000LL },
	{ "1Gi", "1Gi", 1073741824LL, 1073741824000LL },
	{ "1024Mi", "1Gi", 1073741824LL, 1073741824000LL },
	{ "1Ki", "1Ki", 1024, 1024000 },
	{ "512Ki", "512Ki", 524288, 524288000 },
	{ "1023Mi", "1023Mi", 1072693248LL, 1072693248000LL },
	{ "100", "100", 100, 100000 },
	{ "1000", "1k", 1000, 1000000 },
	{ "2e3", "2e3", 2000, 2000000 },
	{ "1e3", "1e3", 1000, 1000000 },
	{ "1.5e3", "1500", 1500, 1500000 },
	{ "1E", "1E", 1000000000000000000LL, INT64_MAX },
	{ "0.1", "100m", 1, 100 },
	{ ".5", "500m", 1, 500 },
	{ "5.", "5", 5, 5000 },
	{ "-100m", "-100m", -1, -100 },
	{ "+2", "2", 2, 2000 },
	{ "-1.5Gi", "-1536Mi", -1610612736LL, -1610612736000LL },
	{ "1n", "1n", 1, 1 },
	{ "1u", "1u", 1, 1 },
	{ "0.1n", "1n", 1, 1 },
	{ "1.1Ki", "1126400m", 1127, 1126400 },
	{ "0.5Ki", "512", 512, 512000 },
	{ "100Mi", "100Mi", 104857600, 104857600000LL },
	{ "12e6", "12e6", 12000000, 12000000000LL },
	{ "1.5e-3", "1500e-6", 1, 2 },
	{ "0012", "12", 12, 12000 },
	{ "16Ei", "9223372036854775807", INT64_MAX, INT64_MAX },
	{ "-0", "0", 0, 0 },
	{ "1e+3", "1e3", 1000, 1000000 },
	{ "2.5k", "2500", 2500, 2500000 },
	{ "0.000000000001", "1n", 1, 1 },
	{ "1Pi", "1Pi", 1125899906842624LL, 1125899906842624000LL },
	{ "8Ei", "9223372036854775807", INT64_MAX, INT64_MAX },
};

struct err_case {
	const char *in;
	const char *msg;
};

#define FMT "quantities must match the regular expression " \
	"'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

static const struct err_case errs[] = {
	{ "", FMT },
	{ "1.5.5", FMT },
	{ "1Q", FMT },
	{ " 1", FMT },
	{ "1 ", FMT },
	{ "1Mi ", FMT },
	{ "abc", FMT },
	{ "1e", "unable to parse quantity's suffix" },
	{ "1Ee3", "unable to parse quantity's suffix" },
	{ "1KiB", FMT },
	{ "1ki", "unable to parse quantity's suffix" },
	{ "1K", "unable to parse quantity's suffix" },
	{ "1e99999999999999999999", "unable to parse quantity's suffix" },
	{ "1e40", "quantity too large: 1e40" },
};

static void test_canonical(void)
{
	char out[QUANTITY_STR_MAX];
	struct quantity q;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		const struct canon_case *c = &canon[i];

		if (!ok(quantity_parse(c->in, &q, &e) == 0, "parse %s", c->in)) {
			diag(e.msg);
			continue;
		}
		is_str(quantity_format(&q, out), c->canonical, "%s canonical",
		       c->in);
		is_int(quantity_value(&q), c->value, "%s value", c->in);
		is_int(quantity_milli_value(&q), c->milli, "%s milli", c->in);
	}
}

static void test_errors(void)
{
	struct quantity q = { 7, QUANTITY_DECIMAL_SI };
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		err_clear(&e);
		is_int(quantity_parse(errs[i].in, &q, &e), -1, "'%s' fails",
		       errs[i].in);
		is_str(e.msg, errs[i].msg, "'%s' message", errs[i].in);
		is_int(e.code, ERR_PARSE, "'%s' code", errs[i].in);
	}
	ok(q.nano == 7, "out untouched on error");
	is_int(quantity_parse(NULL, &q, &e), -1, "NULL fails");
}

static void test_arith(void)
{
	struct quantity a, b, big;
	char out[QUANTITY_STR_MAX];
	struct err e;

	quantity_parse("100m", &a, &e);
	quantity_parse("1", &b, &e);
	is_int(quantity_cmp(&a, &b), -1, "100m < 1");
	is_int(quantity_cmp(&b, &a), 1, "1 > 100m");
	quantity_parse("1000m", &a, &e);
	is_int(quantity_cmp(&a, &b), 0, "1000m == 1");
	quantity_parse("1.5Gi", &a, &e);
	quantity_parse("512Mi", &b, &e);
	is_int(quantity_add(&a, &b, &e), 0, "add");
	is_str(quantity_format(&a, out), "2Gi", "1.5Gi + 512Mi = 2Gi");
	a = quantity_from_int64(0, QUANTITY_DECIMAL_SI);
	quantity_add(&a, &b, &e);
	is_str(quantity_format(&a, out), "512Mi", "zero takes b's format");
	a = quantity_from_milli(250, QUANTITY_DECIMAL_SI);
	is_str(quantity_format(&a, out), "250m", "from milli");
	ok(quantity_is_zero(&(struct quantity){ 0, QUANTITY_BINARY_SI }),
	   "is_zero");
	quantity_parse("999999999999999999999999999", &big, &e);
	is_int(quantity_add(&big, &big, &e), -1, "sum overflow");
	is_int(e.code, ERR_INVALID, "overflow code");
}

int main(void)
{
	test_canonical();
	test_errors();
	test_arith();
	return tap_done();
}
