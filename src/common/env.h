/* SPDX-License-Identifier: Apache-2.0 */
/* Tunables read from the environment (KDECK_* variables documented in
 * kdeck.1): a malformed or out-of-range value falls back to the default,
 * so a typo never changes behaviour in surprising ways. */
#ifndef KDECK_ENV_H
#define KDECK_ENV_H

/* The integer in $name when it is set, a whole number and within
 * [min, max]; dflt otherwise.  Thread-safe as getenv is (read-only use). */
long env_long(const char *name, long dflt, long min, long max);

#endif
