/* SPDX-License-Identifier: Apache-2.0 */
/* table: durations, pod STATUS logic, columns and cells per kind. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "cluster/table.h"

static void test_duration(void)
{
	static const struct { long long s; const char *want; } c[] = {
		{ -5, "<invalid>" }, { -1, "0s" }, { 0, "0s" }, { 119, "119s" },
		{ 120, "2m" }, { 150, "2m30s" }, { 600, "10m" }, { 3 * 3600, "3h" },
		{ 3 * 3600 + 120, "3h2m" }, { 10 * 3600, "10h" }, { 50 * 3600, "2d2h" },
		{ 8 * 86400, "8d" }, { 400 * 86400LL, "400d" }, { 3 * 365 * 86400LL, "3y" },
		{ (3 * 365 + 5) * 86400LL, "3y5d" }, { 9 * 365 * 86400LL, "9y" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		table_duration(c[i].s, buf, sizeof(buf));
		is_str(buf, c[i].want, "duration %lld", c[i].s);
	}
	table_age(NULL, 0, buf, sizeof(buf));
	is_str(buf, "<unknown>", "age without timestamp");
	table_age("1970-01-01T00:01:00Z", 180, buf, sizeof(buf));
	is_str(buf, "2m", "age from timestamp");
}

static const struct { const char *pod, *status, *ready; } pods[] = {
	{ "{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Pending\"}}", "Pending", "0/1" },
	{ "{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Pending\",\"containerStatuses\":[{\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}}",
	  "ContainerCreating", "0/1" },
	{ "{\"spec\":{\"containers\":[{},{}]},\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"state\":{\"running\":{}}},{\"ready\":true,\"state\":{\"running\":{}}}]}}",
	  "Running", "2/2" },
	{ "{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"state\":{\"terminated\":{\"reason\":\"Completed\",\"exitCode\":0}}}]}}",
	  "Completed", "0/1" },
	{ "{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"restartCount\":4,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}}",
	  "CrashLoopBackOff", "0/1" },
	{ "{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Failed\",\"containerStatuses\":[{\"state\":{\"terminated\":{\"exitCode\":3}}}]}}",
	  "ExitCode:3", "0/1" },
	{ "{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Failed\",\"containerStatuses\":[{\"state\":{\"terminated\":{\"signal\":9}}}]}}",
	  "Signal:9", "0/1" },
	{ "{\"spec\":{\"initContainers\":[{}],\"containers\":[{}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"state\":{\"running\":{}}}]}}",
	  "Init:0/1", "0/1" },
	{ "{\"spec\":{\"initContainers\":[{},{}],\"containers\":[{}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"state\":{\"terminated\":{\"exitCode\":0}}},{\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\"}}}]}}",
	  "Init:ImagePullBackOff", "0/1" },
	{ "{\"spec\":{\"initContainers\":[{}],\"containers\":[{}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"state\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\"}}}]}}",
	  "Init:Error", "0/1" },
	{ "{\"metadata\":{\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"},\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Running\"}}",
	  "Terminating", "0/1" },
	{ "{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Failed\",\"reason\":\"Evicted\"}}", "Evicted", "0/1" },
};

static void test_pod_status(void)
{
	char buf[64];

	for (size_t i = 0; i < sizeof(pods) / sizeof(pods[0]); i++) {
		cJSON *p = cJSON_Parse(pods[i].pod);

		is_str(table_pod_status(p, buf, sizeof(buf)), pods[i].status, "pod status %zu", i);
		table_pod_ready(p, buf, sizeof(buf));
		is_str(buf, pods[i].ready, "pod ready %zu", i);
		cJSON_Delete(p);
	}
}

static char *cells(const char *kind, const char *json)
{
	struct buf b = BUF_INIT;
	cJSON *o = cJSON_Parse(json);

	table_cells(kind, o, 1000, &b);
	cJSON_Delete(o);
	return buf_take(&b);
}

static void test_cells(void)
{
	static const struct { const char *kind, *obj, *want; } c[] = {
		{ "Service", "{\"metadata\":{\"name\":\"s\",\"creationTimestamp\":\"1970-01-01T00:00:00Z\"},\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.9\",\"ports\":[{\"port\":80,\"nodePort\":30080,\"protocol\":\"TCP\"},{\"port\":53,\"protocol\":\"UDP\"}],\"selector\":{\"app\":\"x\"}}}",
		  "[\"s\",\"NodePort\",\"10.96.0.9\",\"<none>\",\"80:30080/TCP,53/UDP\",\"16m\",\"app=x\"]" },
		{ "Service", "{\"metadata\":{\"name\":\"lb\"},\"spec\":{\"type\":\"LoadBalancer\",\"clusterIP\":\"10.96.0.2\",\"ports\":[{\"port\":80}]}}",
		  "[\"lb\",\"LoadBalancer\",\"10.96.0.2\",\"<pending>\",\"80/TCP\",\"<unknown>\",\"<none>\"]" },
		{ "Deployment", "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"},{\"name\":\"b\",\"image\":\"y:2\"}]}}},\"status\":{\"readyReplicas\":2,\"updatedReplicas\":3,\"availableReplicas\":2}}",
		  "[\"web\",\"2/3\",3,2,\"<unknown>\",\"a,b\",\"x:1,y:2\",\"app=web\"]" },
		{ "ConfigMap", "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\",\"b\":\"2\"},\"binaryData\":{\"c\":\"AA==\"}}",
		  "[\"c\",3,\"<unknown>\"]" },
		{ "Secret", "{\"metadata\":{\"name\":\"s\"},\"type\":\"Opaque\"}", "[\"s\",\"Opaque\",0,\"<unknown>\"]" },
		{ "Namespace", "{\"metadata\":{\"name\":\"n\"},\"status\":{\"phase\":\"Active\"}}", "[\"n\",\"Active\",\"<unknown>\"]" },
		{ "Widget", "{\"metadata\":{\"name\":\"w\"}}", "[\"w\",\"<unknown>\"]" },
		{ "Node", "{\"metadata\":{\"name\":\"n1\",\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\"}},\"spec\":{\"unschedulable\":true},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"nodeInfo\":{\"kubeletVersion\":\"v1.33.0\"}}}",
		  "[\"n1\",\"Ready,SchedulingDisabled\",\"control-plane\",\"<unknown>\",\"v1.33.0\",\"<none>\",\"<none>\",\"<unknown>\",\"<unknown>\",\"<unknown>\"]" },
		{ "Node", "{\"metadata\":{\"name\":\"n2\"},\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"h\"},{\"type\":\"InternalIP\",\"address\":\"10.0.0.5\"}],\"nodeInfo\":{\"kubeletVersion\":\"v1.33.0\",\"osImage\":\"Debian GNU/Linux 12 (bookworm)\",\"kernelVersion\":\"6.1.0\",\"containerRuntimeVersion\":\"runc://1.1.5\"}}}",
		  "[\"n2\",\"Unknown\",\"<none>\",\"<unknown>\",\"v1.33.0\",\"10.0.0.5\",\"<none>\",\"Debian GNU/Linux 12 (bookworm)\",\"6.1.0\",\"runc://1.1.5\"]" },
		{ "Job", "{\"metadata\":{\"name\":\"j\"},\"spec\":{\"completions\":2},\"status\":{\"succeeded\":2,\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}",
		  "[\"j\",\"Complete\",\"2/2\",\"\",\"<unknown>\",\"<none>\",\"<none>\",\"<none>\"]" },
		{ "Event", "{\"type\":\"Normal\",\"reason\":\"Pulled\",\"message\":\"ok\",\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\"}}",
		  "[\"<unknown>\",\"Normal\",\"Pulled\",\"pod/p\",\"\",\"\",\"ok\",\"<unknown>\",\"1\",\"<none>\"]" },
		{ "Event", "{\"metadata\":{\"name\":\"p.1\"},\"type\":\"Warning\",\"reason\":\"BackOff\",\"message\":\"m\",\"count\":4,\"source\":{\"component\":\"kubelet\",\"host\":\"n1\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"fieldPath\":\"spec.containers{c}\"}}",
		  "[\"<unknown>\",\"Warning\",\"BackOff\",\"pod/p\",\"spec.containers{c}\",\"kubelet, n1\",\"m\",\"<unknown>\",\"4\",\"p.1\"]" },
		{ "PersistentVolumeClaim", "{\"metadata\":{\"name\":\"data\"},\"spec\":{\"storageClassName\":\"standard\",\"volumeName\":\"pv-1\"},\"status\":{\"phase\":\"Bound\",\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteMany\",\"ReadWriteOnce\"]}}",
		  "[\"data\",\"Bound\",\"pv-1\",\"1Gi\",\"RWO,RWX\",\"standard\",\"<unset>\",\"<unknown>\",\"<unset>\"]" },
		{ "PersistentVolumeClaim", "{\"metadata\":{\"name\":\"p\"},\"spec\":{},\"status\":{\"phase\":\"Pending\"}}",
		  "[\"p\",\"Pending\",\"\",\"\",\"\",\"\",\"<unset>\",\"<unknown>\",\"<unset>\"]" },
		{ "PersistentVolume", "{\"metadata\":{\"name\":\"pv-1\"},\"spec\":{\"capacity\":{\"storage\":\"5Gi\"},\"accessModes\":[\"ReadWriteOnce\"],\"persistentVolumeReclaimPolicy\":\"Retain\",\"claimRef\":{\"namespace\":\"default\",\"name\":\"data\"},\"storageClassName\":\"standard\",\"volumeMode\":\"Filesystem\"},\"status\":{\"phase\":\"Bound\"}}",
		  "[\"pv-1\",\"5Gi\",\"RWO\",\"Retain\",\"Bound\",\"default/data\",\"standard\",\"<unset>\",\"\",\"<unknown>\",\"Filesystem\"]" },
		{ "StorageClass", "{\"metadata\":{\"name\":\"standard\",\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}},\"provisioner\":\"kdeck.io/local-path\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}",
		  "[\"standard (default)\",\"kdeck.io/local-path\",\"Delete\",\"WaitForFirstConsumer\",false,\"<unknown>\"]" },
		{ "Ingress", "{\"metadata\":{\"name\":\"i\"},\"spec\":{\"ingressClassName\":\"nginx\",\"rules\":[{\"host\":\"a.example\"},{\"host\":\"b.example\"}],\"tls\":[{\"hosts\":[\"a.example\"]}]},\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"10.0.0.1\"}]}}}",
		  "[\"i\",\"nginx\",\"a.example,b.example\",\"10.0.0.1\",\"80, 443\",\"<unknown>\"]" },
		{ "Ingress", "{\"metadata\":{\"name\":\"j\"},\"spec\":{\"rules\":[{}]}}",
		  "[\"j\",\"<none>\",\"*\",\"\",\"80\",\"<unknown>\"]" },
		{ "HorizontalPodAutoscaler", "{\"metadata\":{\"name\":\"h\"},\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"web\"},\"minReplicas\":1,\"maxReplicas\":5,\"metrics\":[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":80}}}]},\"status\":{\"currentReplicas\":2,\"currentMetrics\":[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"current\":{\"averageUtilization\":40}}}]}}",
		  "[\"h\",\"Deployment/web\",\"cpu: 40%/80%\",\"1\",5,2,\"<unknown>\"]" },
		{ "EndpointSlice", "{\"metadata\":{\"name\":\"e\"},\"addressType\":\"IPv4\",\"ports\":[{\"port\":80},{\"port\":443}],\"endpoints\":[{\"addresses\":[\"10.244.0.2\"]},{\"addresses\":[\"10.244.0.3\"]},{\"addresses\":[\"10.244.0.4\"]},{\"addresses\":[\"10.244.0.5\"]}]}",
		  "[\"e\",\"IPv4\",\"80,443\",\"10.244.0.2,10.244.0.3,10.244.0.4 + 1 more...\",\"<unknown>\"]" },
		{ "PodDisruptionBudget", "{\"metadata\":{\"name\":\"pdb\"},\"spec\":{\"minAvailable\":\"50%\"},\"status\":{\"disruptionsAllowed\":1}}",
		  "[\"pdb\",\"50%\",\"N/A\",1,\"<unknown>\"]" },
		{ "NetworkPolicy", "{\"metadata\":{\"name\":\"np\"},\"spec\":{\"podSelector\":{\"matchLabels\":{\"app\":\"db\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]}]}}}",
		  "[\"np\",\"app=db,tier in (a,b)\",\"<unknown>\"]" },
		{ "ResourceQuota", "{\"metadata\":{\"name\":\"q\"},\"status\":{\"hard\":{\"pods\":\"10\",\"limits.memory\":\"2Gi\",\"cpu\":\"2\"},\"used\":{\"pods\":\"3\",\"cpu\":\"500m\"}}}",
		  "[\"q\",\"<unknown>\",\"cpu: 500m/2, pods: 3/10\",\"limits.memory: 0/2Gi\"]" },
		{ "ControllerRevision", "{\"metadata\":{\"name\":\"web-5d8\",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"name\":\"web\",\"controller\":true}]},\"revision\":3}",
		  "[\"web-5d8\",\"statefulset.apps/web\",3,\"<unknown>\"]" },
		{ "CertificateSigningRequest", "{\"metadata\":{\"name\":\"csr\"},\"spec\":{\"signerName\":\"kubernetes.io/kube-apiserver-client\",\"username\":\"alice\",\"expirationSeconds\":86400},\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":\"True\"}]}}",
		  "[\"csr\",\"<unknown>\",\"kubernetes.io/kube-apiserver-client\",\"alice\",\"24h\",\"Approved\"]" },
		{ "RoleBinding", "{\"metadata\":{\"name\":\"rb\"},\"roleRef\":{\"kind\":\"Role\",\"name\":\"view\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"},{\"kind\":\"ServiceAccount\",\"name\":\"sa\",\"namespace\":\"ns1\"},{\"kind\":\"Group\",\"name\":\"devs\"}]}",
		  "[\"rb\",\"Role/view\",\"<unknown>\",\"alice\",\"devs\",\"ns1/sa\"]" },
		{ "PriorityClass", "{\"metadata\":{\"name\":\"high\"},\"value\":1000,\"globalDefault\":true}",
		  "[\"high\",1000,true,\"<unknown>\",\"PreemptLowerPriority\"]" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *got = cells(c[i].kind, c[i].obj);

		is_str(got, c[i].want, "%s cells", c[i].kind);
		free(got);
	}
}

static void test_columns(void)
{
	size_t n;
	const struct table_col *c = table_columns("Pod", &n);
	struct buf b = BUF_INIT;

	is_int((long long)n, 9, "pod columns");
	is_str(c[0].name, "Name", "first is Name");
	is_str(c[0].format, "name", "Name format");
	is_int(c[5].priority, 1, "IP is wide-only");
	table_columns("Nope", &n);
	is_int((long long)n, 2, "default NAME AGE");
	table_column_defs("Namespace", &b);
	ok(strstr(buf_cstr(&b), "{\"name\":\"Status\",\"type\":\"string\",\"format\":\"\",\"description\":\"\",\"priority\":0}") != NULL,
	   "column definition JSON");
	buf_free(&b);
}

/* Templates: durations become marks filled at any time; a duration
 * between two stored times (a finished Job) is no template. */
static void test_template(void)
{
	static const struct { const char *kind, *obj; int marks; } t[] = {
		{ "Pod", "{\"metadata\":{\"name\":\"p\",\"creationTimestamp\":\"2020-01-01T00:00:00Z\"},"
			 "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"restartCount\":2,"
			 "\"lastState\":{\"terminated\":{\"finishedAt\":\"2020-06-01T00:00:00Z\"}}}]}}", 2 },
		/* a stored string that prints as the mark itself */
		{ "Pod", "{\"metadata\":{\"name\":\"p\"},\"status\":{\"reason\":\"\\u0001\"}}", -1 },
		{ "Job", "{\"metadata\":{\"name\":\"j\",\"creationTimestamp\":\"2020-01-01T00:00:00Z\"},"
			 "\"status\":{\"startTime\":\"2020-01-01T00:00:00Z\",\"completionTime\":\"2020-01-01T00:01:00Z\"}}", -1 },
	};
	const time_t now = 1700000000;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *o = cJSON_Parse(t[i].obj);
		struct buf tmpl = BUF_INIT, direct = BUF_INIT, filled = BUF_INIT;
		int64_t ts[4];
		int n = table_cells_template(t[i].kind, o, &tmpl, ts, 4);

		is_int(n, t[i].marks, "%s template marks", t[i].kind);
		if (n >= 0) {
			table_cells(t[i].kind, o, now, &direct);
			table_template_fill(&filled, buf_cstr(&tmpl), tmpl.len, ts, (size_t)n, now);
			is_str(buf_cstr(&filled), buf_cstr(&direct), "%s template filled = cells", t[i].kind);
		}
		buf_free(&tmpl);
		buf_free(&direct);
		buf_free(&filled);
		cJSON_Delete(o);
	}
}

int main(void)
{
	test_duration();
	test_pod_status();
	test_cells();
	test_columns();
	test_template();
	return tap_done();
}
