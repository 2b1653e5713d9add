#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Push an OCI image layout directory (mkimage.py --format oci-dir) to a
registry over the distribution HTTP API, for tests.

    push.py LAYOUT http://127.0.0.1:PORT REPO TAG [--user U --password P]
            [--index] [--zstd] [--docker]

--index   push an image index with two platforms (this machine's and a
          made-up other one) under TAG instead of the plain manifest
--zstd    recompress the layers with zstd (needs the zstd tool)
--docker  use Docker v2 schema 2 media types
Prints the digest TAG points to.
"""
import argparse, base64, gzip, hashlib, json, os, subprocess, sys
import urllib.error, urllib.parse, urllib.request

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Registry:
    def __init__(self, base, repo, user=None, password=None):
        self.base, self.repo = base.rstrip("/"), repo
        self.auth = None
        if user is not None:
            tok = base64.b64encode(("%s:%s" % (user, password)).encode())
            self.auth = "Basic " + tok.decode()

    def req(self, method, url, data=None, headers=None):
        if not url.startswith("http"):
            url = self.base + url
        r = urllib.request.Request(url, data=data, method=method,
                                   headers=dict(headers or {}))
        if self.auth:
            r.add_header("Authorization", self.auth)
        return urllib.request.urlopen(r)

    def blob(self, data):
        d = sha(data)
        try:
            self.req("HEAD", "/v2/%s/blobs/%s" % (self.repo, d))
            return d
        except urllib.error.HTTPError:
            pass
        r = self.req("POST", "/v2/%s/blobs/uploads/" % self.repo, b"")
        loc = r.headers["Location"]
        if not loc.startswith("http"):
            loc = self.base + loc
        sep = "&" if "?" in loc else "?"
        self.req("PUT", loc + sep + "digest=" + urllib.parse.quote(d), data,
                 {"Content-Type": "application/octet-stream"})
        return d

    def manifest(self, ref, data, media_type):
        self.req("PUT", "/v2/%s/manifests/%s" % (self.repo, ref), data,
                 {"Content-Type": media_type})
        return sha(data)


def load(layout):
    idx = json.load(open(os.path.join(layout, "index.json")))
    d = idx["manifests"][0]["digest"]

    def blob(dg):
        return open(os.path.join(layout, "blobs", "sha256", dg[7:]),
                    "rb").read()
    return json.loads(blob(d)), blob


def push_image(reg, man, blob, arch=None, zstd=False, docker=False):
    """Push config + layers + manifest (untagged); returns (bytes, type)."""
    man = json.loads(json.dumps(man))
    cfg = json.loads(blob(man["config"]["digest"]))
    if arch:
        cfg["architecture"] = arch
    layers = []
    for l in man["layers"]:
        data = blob(l["digest"])
        mt = l["mediaType"]
        if zstd:
            data = subprocess.run(["zstd", "-q", "-c"],
                                  input=gzip.decompress(data),
                                  stdout=subprocess.PIPE, check=True).stdout
            mt = "application/vnd.oci.image.layer.v1.tar+zstd"
        elif docker:
            mt = DOCKER_LAYER
        layers.append({"mediaType": mt, "digest": reg.blob(data),
                       "size": len(data)})
    if zstd:
        cfg["rootfs"]["diff_ids"] = cfg["rootfs"]["diff_ids"]
    cfg_bytes = json.dumps(cfg, sort_keys=True).encode()
    man["config"] = {"mediaType": DOCKER_CONFIG if docker else
                     man["config"]["mediaType"],
                     "digest": reg.blob(cfg_bytes), "size": len(cfg_bytes)}
    man["layers"] = layers
    man["mediaType"] = DOCKER_MANIFEST if docker else OCI_MANIFEST
    data = json.dumps(man, sort_keys=True).encode()
    return data, man["mediaType"], cfg["architecture"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("layout")
    ap.add_argument("base")
    ap.add_argument("repo")
    ap.add_argument("tag")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--index", action="store_true")
    ap.add_argument("--zstd", action="store_true")
    ap.add_argument("--docker", action="store_true")
    a = ap.parse_args()
    reg = Registry(a.base, a.repo, a.user, a.password)
    man, blob = load(a.layout)
    data, mt, arch = push_image(reg, man, blob, zstd=a.zstd, docker=a.docker)
    if not a.index:
        print(reg.manifest(a.tag, data, mt))
        return 0
    other = "s390x" if arch != "s390x" else "riscv64"
    entries = []
    for arch_name, (d, t) in ((other, push_image(reg, man, blob, other)[:2]),
                              (arch, (data, mt))):
        entries.append({"mediaType": t, "digest": reg.manifest(sha(d), d, t),
                        "size": len(d),
                        "platform": {"os": "linux",
                                     "architecture": arch_name}})
    index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX,
                        "manifests": entries}, sort_keys=True).encode()
    print(reg.manifest(a.tag, index, OCI_INDEX))
    return 0


if __name__ == "__main__":
    sys.exit(main())
