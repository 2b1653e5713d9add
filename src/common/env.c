/* SPDX-License-Identifier: Apache-2.0 */
/* Integer tunables from the environment (env.h). */
#include <stdlib.h>

#include "env.h"

long env_long(const char *name, long dflt, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	n = strtol(v, &end, 10);
	return *end || n < min || n > max ? dflt : n;
}
