/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quantity: Kubernetes resource.Quantity ("100m", "1.5Gi", "2e3").
 *
 * A quantity is held exactly as a signed count of nano-units (value x 1e9)
 * in a 128-bit integer, plus the format its text used (decimal SI suffix,
 * binary SI suffix or decimal exponent), which decides how it prints.
 * Parsing follows apimachinery's ParseQuantity: values finer than 1n are
 * rounded up (away from zero) to 1n, and binary-SI values above 2^63-1 are
 * capped there.  Representable range: |value| <= 1e27 (a 29-digit nano
 * count); apimachinery accepts larger decimal values through big.Int, kdeck
 * rejects them with ERR_PARSE ("quantity too large").
 */
#ifndef KDECK_COMMON_QUANTITY_H
#define KDECK_COMMON_QUANTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

enum quantity_format {
	QUANTITY_DECIMAL_SI,		/* 100m, 2k, 1G */
	QUANTITY_BINARY_SI,		/* 512Ki, 1.5Gi */
	QUANTITY_DECIMAL_EXPONENT	/* 2e3, 1E-3 via e */
};

__extension__ typedef __int128 quantity_nano_t;

struct quantity {
	quantity_nano_t nano;		/* value * 1e9, exact */
	enum quantity_format format;
};

/* Large enough for any canonical string plus NUL. */
#define QUANTITY_STR_MAX 64

/*
 * Parse s as ParseQuantity does.  Returns 0 and fills *out, or -1 with
 * ERR_PARSE and apimachinery's message (ErrFormatWrong, ErrNumeric,
 * ErrSuffix).  Leading/trailing whitespace is an error, as in Go.
 */
int quantity_parse(const char *s, struct quantity *out, struct err *e);

/* A quantity of v units (or v milli-units) in the given format. */
struct quantity quantity_from_int64(int64_t v, enum quantity_format f);
struct quantity quantity_from_milli(int64_t milli, enum quantity_format f);

/* -1, 0 or 1 as a is less than, equal to or greater than b. */
int quantity_cmp(const struct quantity *a, const struct quantity *b);
bool quantity_is_zero(const struct quantity *q);

/*
 * a += b, keeping a's format (b's when a is zero, as Quantity.Add).
 * Returns -1 with ERR_INVALID when the sum leaves the representable range.
 */
int quantity_add(struct quantity *a, const struct quantity *b, struct err *e);

/*
 * Value() and MilliValue(): rounded up away from zero to a whole unit /
 * milli-unit; saturate at INT64_MIN/INT64_MAX.
 */
int64_t quantity_value(const struct quantity *q);
int64_t quantity_milli_value(const struct quantity *q);

/*
 * The canonical string of Quantity.String() into out (QUANTITY_STR_MAX
 * bytes): "1500m", "1536Mi", "1", "2e3".  Returns out.
 */
char *quantity_format(const struct quantity *q, char *out);

#endif
