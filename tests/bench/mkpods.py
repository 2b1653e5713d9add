# SPDX-License-Identifier: Apache-2.0
# Create N pods through the API in bulk (for the dashboard benchmark):
# POST /api/v1/namespaces/NS/pods over keep-alive HTTPS connections from
# THREADS threads, the admin client certificate of an embedded cluster.
# usage: mkpods.py URL DATA_DIR NAMESPACE N [THREADS]
import http.client, json, ssl, sys, threading, urllib.parse

url, data, ns, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 16
u = urllib.parse.urlsplit(url)
ctx = ssl.create_default_context(cafile=data + "/pki/ca.crt")
ctx.load_cert_chain(data + "/pki/admin.crt", data + "/pki/admin.key")
errors = []

def work(k):
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx)
    for i in range(k, n, threads):
        body = json.dumps({"apiVersion": "v1", "kind": "Pod",
                           "metadata": {"name": "pod-%d" % i, "labels": {"app": "a%d" % (i % 50)}},
                           "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
        c.request("POST", "/api/v1/namespaces/%s/pods" % ns, body,
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 201:
            errors.append(r.status)

ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
if errors:
    print("mkpods: %d errors (first: %d)" % (len(errors), errors[0]), file=sys.stderr)
    sys.exit(1)
