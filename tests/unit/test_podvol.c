/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_podvol: pod volumes in a temporary data dir: configMap and secret
 * files with the atomic writer's layout, live updates, downwardAPI,
 * projected (tokens reused, then renewed), emptyDir, hostPath types and
 * errors, PVCs, subPath mounts through podspec_container, teardown; the
 * tmpfs of emptyDir medium Memory when running as root.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cluster/node/podspec_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "../tap.h"

static cJSON *cluster;
static int tokens_issued;
static char tmp[] = "/tmp/test_podvol.XXXXXX";

static cJSON *get(void *arg, const char *ns, const char *res, const char *name)
{
	char key[256];

	(void)arg;
	snprintf(key, sizeof(key), "%s|%s|%s", ns ? ns : "", res, name);
	return json_dup(json_obj(cluster, key));
}

static int token(void *arg, const cJSON *pod, const char *aud, int64_t exp,
		 char **out, struct err *e)
{
	(void)arg;
	(void)pod;
	(void)e;
	*out = xasprintf("tok-%s-%lld-%d", aud ? aud : "api", (long long)exp,
			 ++tokens_issued);
	return 0;
}

static struct podspec_env env = {
    .node_name = "node1",
    .node_ip = "192.168.1.2",
    .dns_server = "10.96.0.10",
    .cluster_domain = "cluster.local",
    .get = get,
    .token = token,
};

static cJSON *J(const char *s)
{
	cJSON *v = cJSON_Parse(s);

	if (!v) {
		printf("Bail out! bad JSON in test: %s\n", s);
		exit(1);
	}
	return v;
}

static void put(const char *key, const char *obj)
{
	cJSON_DeleteItemFromObject(cluster, key);
	if (obj)
		cJSON_AddItemToObject(cluster, key, J(obj));
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct buf b = BUF_INIT;
	char chunk[512];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	buf_adds(&b, "");
	return buf_take(&b);
}

static void is_file(const char *dir, const char *rel, const char *want,
		    const char *what)
{
	char *p = xasprintf("%s/%s", dir, rel), *got = slurp(p);

	is_str(got, want, "%s: %s", what, rel);
	free(got);
	free(p);
}

static int file_mode(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	struct stat st;
	int m = stat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;

	free(p);
	return m;
}

static char *link_of(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel), buf[512];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	free(p);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static bool exists(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	struct stat st;
	bool r = lstat(p, &st) == 0;

	free(p);
	return r;
}

static cJSON *pod_with(const char *volumes)
{
	char *t =
	    xasprintf("{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns1\","
		      "\"uid\":\"uid-1\",\"labels\":{\"app\":\"web\"}},"
		      "\"spec\":{\"containers\":[{\"name\":\"c\","
		      "\"resources\":{\"limits\":{\"cpu\":\"250m\"}}}],"
		      "\"volumes\":%s}}",
		      volumes);
	cJSON *pod = J(t);

	free(t);
	return pod;
}

/* Set up pod's volumes; the error message or "" */
static char *setup_err(const char *volumes)
{
	cJSON *pod = pod_with(volumes);
	struct podvol *v = NULL;
	struct err e = {0};
	char *msg;

	msg = xstrdup(podvol_setup(&env, pod, &v, &e) == 0 ? "" : e.msg);
	podvol_free(v);
	cJSON_Delete(pod);
	return msg;
}

static void test_configmap(void)
{
	cJSON *pod = pod_with(
	    "[{\"name\":\"cfg\",\"configMap\":{\"name\":\"cfg\"}},"
	    "{\"name\":\"items\",\"configMap\":{\"name\":\"cfg\",\"items\":"
	    "[{\"key\":\"k1\",\"path\":\"sub/dir/one.txt\",\"mode\":384},"
	    "{\"key\":\"bin\",\"path\":\"b\"}],\"defaultMode\":288}},"
	    "{\"name\":\"sec\",\"secret\":{\"secretName\":\"sec\","
	    "\"defaultMode\":256}},"
	    "{\"name\":\"opt\",\"configMap\":{\"name\":\"gone\",\"optional\":"
	    "true}}]");
	char *dir =
	    xasprintf("%s/pods/uid-1/volumes/kubernetes.io~configmap/cfg", tmp);
	char *sdir =
	    xasprintf("%s/pods/uid-1/volumes/kubernetes.io~secret/sec", tmp);
	char *idir = xasprintf("%s/pods/uid-1/volumes/kubernetes.io~configmap/"
			       "items",
			       tmp);
	char *odir = xasprintf("%s/pods/uid-1/volumes/kubernetes.io~configmap/"
			       "opt",
			       tmp);
	char *first, *second, *l;
	struct podvol *v = NULL;
	struct err e;
	bool ro;

	if (!ok(podvol_setup(&env, pod, &v, &e) == 0,
		"configMap/secret set-up "
		"(%s)",
		e.msg))
		goto out;
	is_file(dir, "k1", "v1", "configMap key");
	is_file(dir, "k2", "v2", "configMap key");
	is_file(dir, "bin", "hello", "configMap binaryData");
	is_file(dir, ".hidden", "h", "configMap key with a leading dot");
	is_int(file_mode(dir, "k1"), 0644, "defaultMode 0644");
	l = link_of(dir, "k1");
	is_str(l, "..data/k1", "key is a symlink into ..data");
	free(l);
	first = link_of(dir, "..data");
	ok(first && !strncmp(first, "..", 2) && strlen(first) == 31,
	   "..data -> ..YYYY_MM_DD_hh_mm_ss.NNNNNNNNN (%s)", first);
	is_file(idir, "sub/dir/one.txt", "v1", "item with a nested path");
	is_int(file_mode(idir, "sub/dir/one.txt"), 0600, "item mode");
	is_int(file_mode(idir, "b"), 0440, "item without mode: defaultMode");
	ok(!exists(idir, "k2"), "keys not listed in items are left out");
	l = link_of(idir, "sub");
	is_str(l, "..data/sub", "nested path: top-level symlink");
	free(l);
	is_file(sdir, "pw", "s3cret", "secret value decoded");
	is_int(file_mode(sdir, "pw"), 0400, "secret defaultMode");
	if (geteuid() == 0) {
		struct stat a, b;
		char *up = xasprintf("%s/..", sdir);

		ok(stat(sdir, &a) == 0 && stat(up, &b) == 0 &&
		       a.st_dev != b.st_dev,
		   "secret volume is a tmpfs of its own (root)");
		free(up);
	}
	ok(exists(odir, "..data") && !exists(odir, "k1"),
	   "optional missing configMap: empty volume");
	ok(podvol_path(v, "cfg", &ro) && ro,
	   "configMap volumes mount read-only");
	ok(!podvol_path(v, "nope", &ro), "unknown volume has no path");

	ok(podvol_refresh(&env, pod, v, &e) == 0, "refresh without changes");
	second = link_of(dir, "..data");
	is_str(second, first, "unchanged payload keeps its version");
	free(second);

	put("ns1|configmaps|cfg", "{\"data\":{\"k1\":\"new\",\"k3\":\"v3\"},"
				  "\"binaryData\":{\"bin\":\"aGVsbG8=\"}}");
	ok(podvol_refresh(&env, pod, v, &e) == 0,
	   "refresh after an update (%s)", e.msg);
	second = link_of(dir, "..data");
	ok(second && strcmp(second, first), "..data swapped to a new version");
	is_file(dir, "k1", "new", "updated key");
	is_file(dir, "k3", "v3", "added key");
	ok(!exists(dir, "k2"), "removed keys are gone");
	ok(!exists(dir, ".hidden"), "removed dot-file keys too");
	ok(!exists(dir, first), "old version directory removed");
	put("ns1|configmaps|cfg", "{\"data\":{\"k1\":\"x\"}}");
	ok(podvol_refresh(&env, pod, v, &e) < 0 &&
	       strstr(
		   e.msg,
		   "MountVolume.SetUp failed for volume \"items\" : configmap "
		   "references non-existent config key: bin"),
	   "items key gone: %s", e.msg);
	ok(podvol_path(v, "items", &ro) != NULL,
	   "a failed refresh keeps the volume's path");
	is_file(idir, "b", "hello", "and its files");
	free(first);
	free(second);
out:
	put("ns1|configmaps|cfg",
	    "{\"data\":{\"k1\":\"v1\",\"k2\":\"v2\",\".hidden\":\"h\"},"
	    "\"binaryData\":{\"bin\":\"aGVsbG8=\"}}");
	podvol_free(v);
	cJSON_Delete(pod);
	free(dir);
	free(sdir);
	free(idir);
	free(odir);
}

static void test_errors(void)
{
	static const char *const cases[][2] = {
	    {"[{\"name\":\"c\",\"configMap\":{\"name\":\"gone\"}}]",
	     "MountVolume.SetUp failed for volume \"c\" : configmap \"gone\" "
	     "not found"},
	    {"[{\"name\":\"s\",\"secret\":{\"secretName\":\"gone\"}}]",
	     "MountVolume.SetUp failed for volume \"s\" : secret \"gone\" "
	     "not found"},
	    {"[{\"name\":\"s\",\"secret\":{\"secretName\":\"sec\",\"items\":"
	     "[{\"key\":\"x\",\"path\":\"x\"}]}}]",
	     "MountVolume.SetUp failed for volume \"s\" : references "
	     "non-existent secret key: x"},
	    {"[{\"name\":\"s\",\"secret\":{\"secretName\":\"sec\",\"items\":"
	     "[{\"key\":\"pw\",\"path\":\"../x\"}]}}]",
	     "MountVolume.SetUp failed for volume \"s\" : invalid path: ../x"},
	    {"[{\"name\":\"h\",\"hostPath\":{\"path\":\"/nonexistent/kdeck\","
	     "\"type\":\"Directory\"}}]",
	     "MountVolume.SetUp failed for volume \"h\" : hostPath type check "
	     "failed: /nonexistent/kdeck is not a directory"},
	    {"[{\"name\":\"h\",\"hostPath\":{\"path\":\"/etc/passwd\","
	     "\"type\":\"Directory\"}}]",
	     "MountVolume.SetUp failed for volume \"h\" : hostPath type check "
	     "failed: /etc/passwd is not a directory"},
	    {"[{\"name\":\"h\",\"hostPath\":{\"path\":\"/etc\",\"type\":"
	     "\"File\"}}]",
	     "MountVolume.SetUp failed for volume \"h\" : "
	     "hostPath type check failed: /etc is not a file"},
	    {"[{\"name\":\"h\",\"hostPath\":{\"path\":\"/etc/passwd\","
	     "\"type\":\"Socket\"}}]",
	     "MountVolume.SetUp failed for volume "
	     "\"h\" : hostPath type check failed: /etc/passwd is not a socket "
	     "file"},
	    {"[{\"name\":\"h\",\"hostPath\":{\"path\":\"/etc/passwd\","
	     "\"type\":\"CharDevice\"}}]",
	     "MountVolume.SetUp failed for volume "
	     "\"h\" : hostPath type check failed: /etc/passwd is not a "
	     "character device"},
	    {"[{\"name\":\"h\",\"hostPath\":{\"path\":\"/dev/null\","
	     "\"type\":\"CharDevice\"}}]",
	     ""},
	    {"[{\"name\":\"h\",\"hostPath\":{\"path\":\"/etc\",\"type\":"
	     "\"Weird\"}}]",
	     "MountVolume.SetUp failed for volume \"h\" : "
	     "Weird is an invalid volume type"},
	    {"[{\"name\":\"p\",\"persistentVolumeClaim\":{\"claimName\":"
	     "\"nope\"}}]",
	     "MountVolume.SetUp failed for volume \"p\" : "
	     "persistentvolumeclaim \"nope\" not found"},
	    {"[{\"name\":\"p\",\"persistentVolumeClaim\":{\"claimName\":"
	     "\"pending\"}}]",
	     "MountVolume.SetUp failed for volume \"p\" : "
	     "PVC ns1/pending is not bound"},
	    {"[{\"name\":\"x\",\"gitRepo\":{}}]",
	     "MountVolume.SetUp failed "
	     "for volume \"x\" : unsupported volume type"},
	    {"[{\"name\":\"e\",\"emptyDir\":{\"medium\":\"HugePages\"}}]",
	     "MountVolume.SetUp failed for volume \"e\" : unknown storage "
	     "medium \"HugePages\""},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *msg = setup_err(cases[i][0]);

		is_str(msg, cases[i][1], "volume error %zu", i);
		free(msg);
	}
}

static void test_downward_projected(void)
{
	cJSON *pod = pod_with(
	    "[{\"name\":\"dw\",\"downwardAPI\":{\"items\":["
	    "{\"path\":\"name\",\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}"
	    ","
	    "{\"path\":\"labels\",\"fieldRef\":{\"fieldPath\":"
	    "\"metadata.labels\"}},{\"path\":\"cpu\",\"resourceFieldRef\":"
	    "{\"containerName\":\"c\",\"resource\":\"limits.cpu\","
	    "\"divisor\":\"1m\"},\"mode\":256}]}},"
	    "{\"name\":\"kube-api-access-x1\",\"projected\":{\"defaultMode\":"
	    "420,\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":"
	    "1,\"path\":\"token\"}},{\"configMap\":{\"name\":"
	    "\"kube-root-ca.crt\",\"items\":[{\"key\":\"ca.crt\",\"path\":"
	    "\"ca.crt\"}]}},{\"downwardAPI\":{\"items\":[{\"path\":"
	    "\"namespace\",\"fieldRef\":{\"fieldPath\":"
	    "\"metadata.namespace\"}}]}}]}},"
	    "{\"name\":\"long\",\"projected\":{\"sources\":[{"
	    "\"serviceAccountToken\":{\"audience\":\"vault\","
	    "\"expirationSeconds\":3600,\"path\":\"t\"}}]}}]");
	char *lg = xasprintf(
	    "%s/pods/uid-1/volumes/kubernetes.io~projected/long", tmp);
	char *dw = xasprintf(
	    "%s/pods/uid-1/volumes/kubernetes.io~downward-api/dw", tmp);
	char *pj = xasprintf("%s/pods/uid-1/volumes/kubernetes.io~projected/"
			     "kube-api-access-x1",
			     tmp);
	struct podvol *v = NULL;
	struct err e;

	tokens_issued = 0;
	if (!ok(podvol_setup(&env, pod, &v, &e) == 0,
		"downwardAPI and projected "
		"(%s)",
		e.msg))
		goto out;
	is_file(dw, "name", "web", "downwardAPI");
	is_file(dw, "labels", "app=\"web\"", "downwardAPI");
	is_file(dw, "cpu", "250", "downwardAPI");
	is_int(file_mode(dw, "cpu"), 0400, "downwardAPI item mode");
	is_file(pj, "token", "tok-api-1-1", "projected token");
	is_file(pj, "ca.crt", "CA PEM", "projected configMap");
	is_file(pj, "namespace", "ns1", "projected namespace");
	podvol_free(v);
	v = NULL;
	if (!ok(podvol_setup(&env, pod, &v, &e) == 0, "set-up is idempotent"))
		goto out;
	is_int(tokens_issued, 4, "a fresh set-up issues tokens");
	is_file(lg, "t", "tok-vault-3600-4", "token with an audience");
	sleep(1);
	ok(podvol_refresh(&env, pod, v, &e) == 0, "refresh (%s)", e.msg);
	is_int(tokens_issued, 5, "only the expiring token is renewed");
	is_file(pj, "token", "tok-api-1-5", "renewed token written");
	is_file(lg, "t", "tok-vault-3600-4", "fresh token kept");
out:
	podvol_free(v);
	cJSON_Delete(pod);
	free(dw);
	free(pj);
	free(lg);
}

static const struct rt_mount *mount_at(const struct podspec_out *o,
				       const char *dest)
{
	size_t i;

	for (i = 0; i < o->spec.nmounts; i++)
		if (!strcmp(o->spec.mounts[i].dest, dest))
			return &o->spec.mounts[i];
	return NULL;
}

/* A symlink left in a volume cannot lead a subPath out of it. */
static void check_escape(const cJSON *pod, const struct podvol *v)
{
	char *outside = xasprintf("%s/outside", tmp), *link;
	cJSON *ctr = J("{\"name\":\"c\",\"command\":[\"true\"],"
		       "\"volumeMounts\":[{\"name\":\"scratch\",\"mountPath\":"
		       "\"/d\",\"subPath\":\"esc/made\"}]}");
	struct podspec_out o;
	struct err e;
	bool ro;

	mkdir(outside, 0755);
	link = xasprintf("%s/esc", podvol_path(v, "scratch", &ro));
	ok(symlink(outside, link) == 0, "a symlink out of the emptyDir");
	ok(podspec_container(&env, pod, ctr, NULL, v, NULL, 0, &o, &e) < 0 &&
	       strstr(e.msg, "not within volume path"),
	   "subPath through it refused: %s", e.msg);
	ok(!exists(outside, "made"), "nothing created outside the volume");
	cJSON_Delete(ctr);
	free(link);
	free(outside);
}

/* emptyDir, hostPath, PVC and the mounts podspec_container makes. */
static void test_dirs_and_mounts(void)
{
	char *hp = xasprintf("%s/host/made", tmp),
	     *hf = xasprintf("%s/host/f", tmp);
	char *pvp = xasprintf("%s/pvdata", tmp), *vols, *ed, rp[PATH_MAX];
	cJSON *pod, *ctr;
	struct podvol *v = NULL;
	struct podspec_out o;
	const struct rt_mount *m;
	struct err e;
	bool ro;

	mkdir(pvp, 0755);
	put("|persistentvolumes|pv1", NULL);
	cJSON_AddItemToObject(cluster, "|persistentvolumes|pv1",
			      cJSON_CreateObject());
	json_set_str(json_obj(cluster, "|persistentvolumes|pv1"),
		     "spec.local.path", pvp);
	vols = xasprintf(
	    "[{\"name\":\"scratch\",\"emptyDir\":{}},"
	    "{\"name\":\"h\",\"hostPath\":{\"path\":\"%s\",\"type\":"
	    "\"DirectoryOrCreate\"}},{\"name\":\"hf\",\"hostPath\":{\"path\":"
	    "\"%s\",\"type\":\"FileOrCreate\"}},{\"name\":\"data\","
	    "\"persistentVolumeClaim\":{\"claimName\":\"claim\",\"readOnly\":"
	    "true}},{\"name\":\"cfg\",\"configMap\":{\"name\":\"cfg\"}}]",
	    hp, hf);
	pod = pod_with(vols);
	if (!ok(podvol_setup(&env, pod, &v, &e) == 0,
		"emptyDir, hostPath, PVC "
		"(%s)",
		e.msg))
		goto out;
	ed = xasprintf("%s/pods/uid-1/volumes/kubernetes.io~empty-dir/scratch",
		       tmp);
	is_int(file_mode(ed, "."), 0777, "emptyDir is world-writable");
	is_str(podvol_path(v, "scratch", &ro), ed, "emptyDir path");
	ok(!ro, "emptyDir is writable");
	free(ed);
	ok(exists(hp, "."), "DirectoryOrCreate made the directory");
	ok(exists(tmp, "host/f"), "FileOrCreate made the file");
	is_str(podvol_path(v, "data", &ro), pvp, "PVC -> the PV's local path");
	ok(ro, "readOnly claim mounts read-only");
	ctr = J("{\"name\":\"c\",\"command\":[\"true\"],\"env\":[{\"name\":"
		"\"SUB\",\"value\":\"x/y\"}],\"volumeMounts\":["
		"{\"name\":\"scratch\",\"mountPath\":\"/data\"},"
		"{\"name\":\"scratch\",\"mountPath\":\"/data/deep/sub\","
		"\"subPath\":\"a/b\"},"
		"{\"name\":\"scratch\",\"mountPath\":\"/expr\",\"subPathExpr\":"
		"\"$(SUB)\"},{\"name\":\"h\",\"mountPath\":\"/h\",\"readOnly\":"
		"true},{\"name\":\"cfg\",\"mountPath\":\"/cfg\"},"
		"{\"name\":\"cfg\",\"mountPath\":\"/etc/hosts\",\"subPath\":"
		"\"k1\"}]}");
	if (ok(podspec_container(&env, pod, ctr, NULL, v, "10.1.0.3", 0, &o,
				 &e) == 0,
	       "mounts (%s)", e.msg)) {
		is_int((long long)o.spec.nmounts, 8,
		       "6 volumeMounts + resolv.conf "
		       "+ hostname");
		ok(!strcmp(o.spec.mounts[0].dest, "/cfg") ||
		       !strcmp(o.spec.mounts[0].dest, "/data"),
		   "shallow mounts first");
		is_str(o.spec.mounts[o.spec.nmounts - 1].dest, "/data/deep/sub",
		       "deepest mount last");
		m = mount_at(&o, "/data/deep/sub");
		ok(m && realpath(podvol_path(v, "scratch", &ro), rp) &&
		       !strncmp(m->source, rp, strlen(rp)) &&
		       !strcmp(m->source + strlen(rp), "/a/b") &&
		       exists(m->source, "."),
		   "subPath created inside the volume");
		m = mount_at(&o, "/expr");
		ok(m && strstr(m->source, "/x/y"), "subPathExpr expanded");
		m = mount_at(&o, "/h");
		ok(m && m->read_only && !strcmp(m->source, hp),
		   "hostPath readOnly");
		m = mount_at(&o, "/cfg");
		ok(m && m->read_only, "configMap forced read-only");
		m = mount_at(&o, "/etc/hosts");
		ok(m && strstr(m->source, "/..") &&
		       !strstr(m->source, "etc-hosts"),
		   "a volumeMount on /etc/hosts replaces the pod's file");
		podspec_out_done(&o);
	}
	cJSON_Delete(ctr);
	ctr = J("{\"name\":\"c\",\"command\":[\"true\"],\"volumeMounts\":["
		"{\"name\":\"scratch\",\"mountPath\":\"/d\",\"subPath\":\"../"
		"x\"}]}");
	ok(podspec_container(&env, pod, ctr, NULL, v, NULL, 0, &o, &e) < 0 &&
	       strstr(e.msg, "'..'"),
	   "subPath with .. refused: %s", e.msg);
	cJSON_Delete(ctr);
	check_escape(pod, v);
	ok(podvol_teardown(tmp, "uid-1", &e) == 0, "teardown (%s)", e.msg);
	ok(!exists(tmp, "pods/uid-1"), "teardown removed the pod directory");
	ok(exists(hp, "."), "teardown leaves hostPath alone");
	ok(podvol_teardown(tmp, "uid-1", &e) == 0, "teardown twice is fine");
	ok(podvol_teardown(tmp, "..", &e) < 0, "teardown refuses a bad uid");
out:
	podvol_free(v);
	cJSON_Delete(pod);
	free(vols);
	free(hp);
	free(hf);
	free(pvp);
}

static void test_memory(void)
{
	cJSON *pod = pod_with("[{\"name\":\"m\",\"emptyDir\":{\"medium\":"
			      "\"Memory\",\"sizeLimit\":\"8Mi\"}}]");
	char *p =
	    xasprintf("%s/pods/uid-1/volumes/kubernetes.io~empty-dir/m", tmp);
	struct podvol *v = NULL;
	struct statfs st;
	struct err e;

	if (geteuid() != 0) {
		ok(podvol_setup(&env, pod, &v, &e) < 0 &&
		       strstr(e.msg, "needs root"),
		   "medium Memory without root: %s", e.msg);
		goto out;
	}
	if (!ok(podvol_setup(&env, pod, &v, &e) == 0, "medium Memory (%s)",
		e.msg))
		goto out;
	ok(statfs(p, &st) == 0 && (unsigned long)st.f_type == 0x01021994,
	   "emptyDir medium Memory is a tmpfs");
	is_int((long long)st.f_blocks * st.f_bsize, 8 << 20,
	       "sizeLimit applies");
	podvol_free(v);
	v = NULL;
	ok(podvol_setup(&env, pod, &v, &e) == 0,
	   "set-up again keeps one mount");
	ok(podvol_teardown(tmp, "uid-1", &e) == 0, "teardown unmounts (%s)",
	   e.msg);
	ok(!exists(tmp, "pods/uid-1"), "and removes the directory");
out:
	podvol_teardown(tmp, "uid-1", &e);
	podvol_free(v);
	cJSON_Delete(pod);
	free(p);
}

int main(void)
{
	struct err e;

	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	env.data_dir = tmp;
	cluster =
	    J("{\"ns1|secrets|sec\":{\"data\":{\"pw\":\"czNjcmV0\"}},"
	      "\"ns1|configmaps|kube-root-ca.crt\":{\"data\":{\"ca.crt\":"
	      "\"CA PEM\"}},"
	      "\"ns1|persistentvolumeclaims|claim\":{\"spec\":{\"volumeName\":"
	      "\"pv1\"},\"status\":{\"phase\":\"Bound\"}},"
	      "\"ns1|persistentvolumeclaims|pending\":{\"spec\":{},"
	      "\"status\":{\"phase\":\"Pending\"}}}");
	put("ns1|configmaps|cfg",
	    "{\"data\":{\"k1\":\"v1\",\"k2\":\"v2\",\".hidden\":\"h\"},"
	    "\"binaryData\":{\"bin\":\"aGVsbG8=\"}}");
	test_configmap();
	test_errors();
	test_downward_projected();
	test_dirs_and_mounts();
	test_memory();
	podvol_teardown(tmp, "uid-1", &e);
	ps_rmtree(tmp, &e);
	cJSON_Delete(cluster);
	return tap_done();
}
