/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_pod_sec: the securityContext rules of pkg/apis/core/validation -
 * validatePodSpecSecurityContext (pod level: fsGroup, runAsUser,
 * runAsGroup, supplementalGroups ranges, shareProcessNamespace with
 * hostPID, sysctl names, duplicates and host-namespace conflicts,
 * fsGroupChangePolicy, seccompProfile, appArmorProfile) and
 * ValidateSecurityContext (container level: runAsUser, runAsGroup,
 * procMount, seccompProfile, appArmorProfile), in the API server's order
 * and words.
 *
 * Not checked: Windows options, and the allowPrivilegeEscalation
 * combinations (their message prints a Go struct with pointers).
 * Capability names are not validated by the API server either.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/json.h"

#define FLD 320

static const char id_range[] = "must be between 0 and 2147483647, inclusive";
static const char sysctl_msg[] =
	"must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

/* IsValidUserID / IsValidGroupID of the integer at key, when present. */
static void id_field(const cJSON *sc, const char *key, const char *base,
		     struct err *e)
{
	int64_t v;
	char f[FLD];

	if (json_get_int(sc, key, &v) < 0 || (v >= 0 && v <= 2147483647))
		return;
	admit_field(f, sizeof(f), "%s.%s", base, key);
	admit_invalid_int(e, f, (long long)v, id_range);
}

/* validateSeccompProfileField. */
static void seccomp(const cJSON *sc, const char *base, struct err *e)
{
	static const char *const types[] = { "Localhost", "RuntimeDefault", "Unconfined", NULL };
	const cJSON *sp = json_get(sc, "seccompProfile");
	const char *type, *lp;
	char f[FLD], v[FLD];

	if (!cJSON_IsObject(sp))
		return;
	type = json_get_str(sp, "type") ?: "";
	lp = json_get_str(sp, "localhostProfile");
	admit_field(f, sizeof(f), "%s.seccompProfile.type", base);
	if (!*type)
		admit_required(e, f, "type is required when seccompProfile is set");
	else if (!admit_one_of(type, types))
		admit_not_supported(e, f, type, types);
	admit_field(f, sizeof(f), "%s.seccompProfile.localhostProfile", base);
	if (!strcmp(type, "Localhost")) {
		if (!lp)
			admit_required(e, f, "must be set when seccomp type is Localhost");
		else
			admit_local_path(e, f, lp, false);
	} else if (lp) {
		snprintf(v, sizeof(v), "core.SeccompProfile{Type:\"%s\", LocalhostProfile:\"%s\"}", type, lp);
		err_cause(e, "FieldValueInvalid", f, "Invalid value: %s: can only be set when seccomp type is Localhost", v);
	}
}

/* ValidateAppArmorProfileField. */
static void apparmor(const cJSON *sc, const char *base, struct err *e)
{
	static const char *const types[] = { "Localhost", "RuntimeDefault", "Unconfined", NULL };
	const cJSON *ap = json_get(sc, "appArmorProfile");
	const char *type, *lp;
	char f[FLD];

	if (!cJSON_IsObject(ap))
		return;
	type = json_get_str(ap, "type") ?: "";
	lp = json_get_str(ap, "localhostProfile");
	admit_field(f, sizeof(f), "%s.appArmorProfile.localhostProfile", base);
	if (!strcmp(type, "Localhost")) {
		if (!lp || !*lp)
			admit_required(e, f, "must be set when AppArmor type is Localhost");
		else if (isspace((unsigned char)lp[0]) || isspace((unsigned char)lp[strlen(lp) - 1]))
			admit_invalid(e, f, lp, "must not be padded with whitespace");
	} else if (!strcmp(type, "RuntimeDefault") || !strcmp(type, "Unconfined")) {
		if (lp)
			admit_invalid(e, f, lp, "can only be set when AppArmor type is Localhost");
	} else {
		admit_field(f, sizeof(f), "%s.appArmorProfile.type", base);
		if (!*type)
			admit_required(e, f, "type is required when appArmorProfile is set");
		else
			admit_not_supported(e, f, type, types);
	}
}

/* A sysctl segment: [a-z0-9]([-_a-z0-9]*[a-z0-9])? */
static bool sysctl_segment(const char *s, size_t n)
{
	if (n == 0 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
		      s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

static bool sysctl_name(const char *s)
{
	if (strlen(s) > 253)
		return false;
	for (;;) {
		size_t n = strcspn(s, "./");

		if (!sysctl_segment(s, n))
			return false;
		if (!s[n])
			return true;
		s += n + 1;
	}
}

/* utilsysctl.GetNamespace: 'n'et, 'i'pc or 0 (node-level). */
static char sysctl_ns(const char *s)
{
	static const char *const ipc[] = { "kernel.shm", "kernel.msg", "kernel.sem",
					   "fs.mqueue.", "kernel/shm", "kernel/msg",
					   "kernel/sem", "fs/mqueue/", NULL };

	if (!strncmp(s, "net.", 4) || !strncmp(s, "net/", 4))
		return 'n';
	for (size_t i = 0; ipc[i]; i++)
		if (!strncmp(s, ipc[i], strlen(ipc[i])))
			return 'i';
	return 0;
}

static void sysctls(const cJSON *spec, const cJSON *sc, const char *base,
		    struct err *e)
{
	const cJSON *list = json_get(sc, "sysctls"), *s;
	char f[FLD];
	int i = 0;

	cJSON_ArrayForEach(s, list) {
		const char *name = json_get_str(s, "name") ?: "";
		char ns = sysctl_ns(name);

		admit_field(f, sizeof(f), "%s.sysctls[%d].name", base, i++);
		if (!*name)
			admit_required(e, f, NULL);
		else if (!sysctl_name(name))
			admit_invalid(e, f, name, sysctl_msg);
		else
			for (const cJSON *d = list->child; d != s; d = d->next)
				if (!strcmp(json_get_str(d, "name") ?: "", name)) {
					admit_duplicate(e, f, name);
					break;
				}
		if (ns == 'n' && json_get_bool(spec, "hostNetwork", false))
			admit_invalid(e, f, name, "may not be specified when 'hostNetwork' is true");
		else if (ns == 'i' && json_get_bool(spec, "hostIPC", false))
			admit_invalid(e, f, name, "may not be specified when 'hostIPC' is true");
	}
}

void admit_pod_security(const cJSON *spec, const char *base, struct err *e)
{
	static const char *const fsg[] = { "Always", "OnRootMismatch", NULL };
	const cJSON *sc = json_get(spec, "securityContext"), *g;
	const char *pol;
	char sp[FLD], f[FLD];
	int i = 0;

	if (!cJSON_IsObject(sc))
		return;
	admit_field(sp, sizeof(sp), "%s.securityContext", base);
	id_field(sc, "fsGroup", sp, e);
	id_field(sc, "runAsUser", sp, e);
	id_field(sc, "runAsGroup", sp, e);
	cJSON_ArrayForEach(g, json_get(sc, "supplementalGroups")) {
		admit_field(f, sizeof(f), "%s.supplementalGroups[%d]", sp, i++);
		if (cJSON_IsNumber(g) && (g->valuedouble < 0 || g->valuedouble > 2147483647))
			admit_invalid_int(e, f, (long long)g->valuedouble, id_range);
	}
	if (json_get_bool(spec, "shareProcessNamespace", false) &&
	    json_get_bool(spec, "hostPID", false)) {
		admit_field(f, sizeof(f), "%s.shareProcessNamespace", sp);
		err_cause(e, "FieldValueInvalid", f,
			  "Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled");
	}
	sysctls(spec, sc, sp, e);
	pol = json_get_str(sc, "fsGroupChangePolicy");
	admit_field(f, sizeof(f), "%s.fsGroupChangePolicy", sp);
	if (pol && !admit_one_of(pol, fsg))
		admit_not_supported(e, f, pol, fsg);
	seccomp(sc, sp, e);
	apparmor(sc, sp, e);
}

void admit_ctr_security(const cJSON *c, const char *cp, bool host_users,
			struct err *e)
{
	static const char *const procs[] = { "Default", "Unmasked", NULL };
	const cJSON *sc = json_get(c, "securityContext");
	const char *pm;
	char sp[FLD], f[FLD];

	if (!cJSON_IsObject(sc))
		return;
	admit_field(sp, sizeof(sp), "%s.securityContext", cp);
	id_field(sc, "runAsUser", sp, e);
	id_field(sc, "runAsGroup", sp, e);
	pm = json_get_str(sc, "procMount");
	admit_field(f, sizeof(f), "%s.procMount", sp);
	if (pm && !admit_one_of(pm, procs))
		admit_not_supported(e, f, pm, procs);
	if (pm && host_users && !strcmp(pm, "Unmasked"))
		admit_invalid(e, f, pm, "`hostUsers` must be false to use `Unmasked`");
	seccomp(sc, sp, e);
	apparmor(sc, sp, e);
}
