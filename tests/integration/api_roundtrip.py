# SPDX-License-Identifier: Apache-2.0
"""Create + get every API fixture of a served kind; what was sent must come
back (server-set metadata, status of kinds with a status subresource and
added defaults excepted).  argv: base URL, CA, cert, key, fixture dir.
Prints one line per fixture; exit 1 when a created object lost fields."""
import json, os, ssl, sys, urllib.request, urllib.error

base, ca, cert, key, fdir = sys.argv[1:6]
ctx = ssl.create_default_context(cafile=ca)
ctx.load_cert_chain(cert, key)


def req(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method,
                               headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r, context=ctx) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def served(gv):
    code, rl = req("GET", ("/api/" if "/" not in gv else "/apis/") + gv)
    if code != 200:
        return {}
    return {r["kind"]: r for r in rl.get("resources", []) if "/" not in r["name"]}


SERVER_META = {"uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
               "deletionGracePeriodSeconds", "generation", "selfLink",
               "generateName", "managedFields", "finalizers"}


def missing(sent, got, path=""):
    if isinstance(sent, dict):
        if not isinstance(got, dict):
            return [path]
        out = []
        for k, v in sent.items():
            out += missing(v, got.get(k), path + "." + k) if k in got else [path + "." + k]
        return out
    if isinstance(sent, list):
        if not isinstance(got, list) or len(got) != len(sent):
            return [path]
        return sum((missing(a, b, "%s[%d]" % (path, i)) for i, (a, b) in enumerate(zip(sent, got))), [])
    return [] if sent == got else [path]


SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"


def drop_sa_volume(sent, got):
    """Undo what ServiceAccount admission adds to a new pod (as a real API
    server does): the kube-api-access-* volume and its mounts."""
    spec = got.get("spec") if isinstance(got, dict) else None
    if not isinstance(spec, dict) or not isinstance(sent.get("spec"), dict):
        return
    vols = spec.get("volumes") or []
    spec_vols = [v for v in vols if not v.get("name", "").startswith("kube-api-access-")]
    if len(spec_vols) != len(vols):
        if spec_vols or "volumes" in sent["spec"]:
            spec["volumes"] = spec_vols
        else:
            del spec["volumes"]
    for key in ("containers", "initContainers"):
        for c, sc in zip(spec.get(key) or [], sent["spec"].get(key) or []):
            ms = [m for m in c.get("volumeMounts") or []
                  if not (m.get("mountPath") == SA_MOUNT and
                          m.get("name", "").startswith("kube-api-access-"))]
            if ms or "volumeMounts" in sc:
                c["volumeMounts"] = ms
            else:
                c.pop("volumeMounts", None)


req("POST", "/api/v1/namespaces", {"metadata": {"name": "rt"}})
bad = ok = rejected = 0
for i, f in enumerate(sorted(os.listdir(fdir))):
    obj = json.load(open(os.path.join(fdir, f)))
    gv, kind = obj.get("apiVersion", ""), obj.get("kind", "")
    res = served(gv).get(kind)
    if not res or res["verbs"] == ["create"] or "create" not in res["verbs"]:
        continue
    md = obj.setdefault("metadata", {})
    for k in SERVER_META:
        md.pop(k, None)
    md["name"] = "rt-%d" % i
    md["namespace"] = "rt" if res["namespaced"] else None
    if md["namespace"] is None:
        del md["namespace"]
    md.pop("ownerReferences", None)
    obj.pop("stringData", None)
    if kind == "Pod":
        # ServiceAccount admission wants the pod's account to exist (the
        # fixture's "serviceAccountNameValue" is not even a valid name).
        obj["spec"]["serviceAccountName"] = obj["spec"]["serviceAccount"] = "default"
    coll = ("/api/" if "/" not in gv else "/apis/") + gv + \
        ("/namespaces/rt/" if res["namespaced"] else "/") + res["name"]
    code, created = req("POST", coll, obj)
    if code != 201:
        rejected += 1
        print("rejected %s: %s %s" % (f, code, created.get("message", "")[:150]))
        continue
    code, got = req("GET", coll + "/" + md["name"])
    if kind == "Pod":
        drop_sa_volume(obj, got)
    sent = dict(obj)
    code_st, _ = req("GET", coll + "/" + md["name"] + "/status")
    if code_st == 200 and kind != "Node":
        sent.pop("status", None)
    if "aggregationRule" in sent:
        sent.pop("rules", None)  # the aggregation controller owns them
    lost = missing(sent, got)
    if lost:
        bad += 1
        print("LOST %s: %s" % (f, ", ".join(lost[:8])))
    else:
        ok += 1
        print("ok %s" % f)
print("# round-trip: %d kept, %d lost fields, %d rejected by validation" % (ok, bad, rejected))
sys.exit(1 if bad or ok < 15 else 0)
