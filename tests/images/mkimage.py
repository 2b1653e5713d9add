#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Build a small OCI image from Debian's busybox-static, for tests.

    mkimage.py OUT [--format oci|oci-dir|docker] [--name REF]
               [--entrypoint JSON] [--cmd JSON] [--env K=V ...]
               [--workdir DIR] [--user U] [--file SRC:DEST ...]

oci      an OCI image layout as a tar archive (what `kdeck image import`
         and `skopeo copy oci-archive:` take)
oci-dir  the same layout as a directory
docker   a `docker save` archive (manifest.json + layer tars)

The root filesystem holds /bin/busybox with the usual applet links, /etc
with passwd/group (root, nobody 65534, app 1000) and /tmp; one gzip layer,
plus one more layer for --file entries and a whiteout test file.
Deterministic: the same arguments give the same digests.
"""
import argparse, gzip, hashlib, io, json, os, shutil, sys, tarfile

BUSYBOX = os.environ.get("BUSYBOX", "/bin/busybox")
APPLETS = ("sh ash cat echo ls sleep id env hostname httpd nc wget ps "
           "mkdir rm cp mv touch true false printf grep sed head tail wc "
           "date kill ip ping nslookup test [ uname whoami stat mount "
           "df du find xargs tr cut sort uniq yes seq tee chmod readlink "
           "timeout pwd basename dirname expr awk vi less more ln nproc "
           "free top dd sync sha256sum md5sum base64").split()
MTIME = 1700000000


def add(tar, name, data=None, mode=0o644, kind=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name)
    ti.mtime, ti.mode, ti.type, ti.linkname = MTIME, mode, kind, link
    ti.uid = ti.gid = 0
    if data is not None:
        ti.size = len(data)
        tar.addfile(ti, io.BytesIO(data))
    else:
        tar.addfile(ti)


def base_layer():
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as t:
        for d in ("bin", "etc", "tmp", "root", "home", "home/app", "var",
                  "proc", "sys", "dev", "usr", "usr/bin", "gone"):
            add(t, d, mode=0o1777 if d == "tmp" else 0o755,
                kind=tarfile.DIRTYPE)
        with open(BUSYBOX, "rb") as f:
            add(t, "bin/busybox", f.read(), 0o755)
        for a in APPLETS:
            add(t, "bin/" + a, kind=tarfile.SYMTYPE, link="busybox")
        add(t, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"
            b"app:x:1000:1000:app:/home/app:/bin/sh\n"
            b"nobody:x:65534:65534:nobody:/:/bin/false\n")
        add(t, "etc/group", b"root:x:0:\napp:x:1000:\nnogroup:x:65534:\n")
        add(t, "gone/file", b"removed by the next layer\n")
    return out.getvalue()


def extra_layer(files):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as t:
        add(t, "gone/.wh.file", b"")
        for spec in files:
            src, dest = spec.split(":", 1)
            with open(src, "rb") as f:
                add(t, dest.lstrip("/"), f.read(),
                    0o755 if os.access(src, os.X_OK) else 0o644)
    return out.getvalue()


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=MTIME) as g:
        g.write(data)
    return out.getvalue()


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build(args):
    layers = [base_layer(), extra_layer(args.file or [])]
    blobs = {}
    cfg = {
        "architecture": {"x86_64": "amd64", "aarch64": "arm64"}.get(
            os.uname().machine, os.uname().machine),
        "os": "linux",
        "created": "2023-11-14T22:13:20Z",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                           "/usr/bin:/sbin:/bin"] + (args.env or [])},
        "rootfs": {"type": "layers", "diff_ids": [sha(l) for l in layers]},
        "history": [{"created_by": "kdeck tests/images/mkimage.py"}],
    }
    c = cfg["config"]
    if args.entrypoint:
        c["Entrypoint"] = json.loads(args.entrypoint)
    c["Cmd"] = json.loads(args.cmd) if args.cmd else ["sh"]
    if args.workdir:
        c["WorkingDir"] = args.workdir
    if args.user:
        c["User"] = args.user
    cfg_bytes = json.dumps(cfg, sort_keys=True).encode()
    blobs[sha(cfg_bytes)] = cfg_bytes
    layer_desc = []
    gzipped = []
    for l in layers:
        z = gz(l)
        gzipped.append(z)
        blobs[sha(z)] = z
        layer_desc.append({"mediaType":
                           "application/vnd.oci.image.layer.v1.tar+gzip",
                           "digest": sha(z), "size": len(z)})
    manifest = {"schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType":
                           "application/vnd.oci.image.config.v1+json",
                           "digest": sha(cfg_bytes), "size": len(cfg_bytes)},
                "layers": layer_desc}
    man_bytes = json.dumps(manifest, sort_keys=True).encode()
    blobs[sha(man_bytes)] = man_bytes
    return layers, gzipped, cfg_bytes, man_bytes, blobs


def write_tree(files, out_dir):
    for name, data in files.items():
        p = os.path.join(out_dir, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)


def write_tar(files, out):
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        dirs = set()
        for name in sorted(files):
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    add(t, d, mode=0o755, kind=tarfile.DIRTYPE)
            add(t, name, files[name])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--format", default="oci",
                    choices=("oci", "oci-dir", "docker"))
    ap.add_argument("--name", default="kdeck.test/busybox:1")
    ap.add_argument("--entrypoint")
    ap.add_argument("--cmd")
    ap.add_argument("--env", action="append")
    ap.add_argument("--workdir")
    ap.add_argument("--user")
    ap.add_argument("--file", action="append")
    args = ap.parse_args()
    layers, gzipped, cfg_bytes, man_bytes, blobs = build(args)
    files = {}
    if args.format == "docker":
        cid = sha(cfg_bytes)[7:]
        files[cid + ".json"] = cfg_bytes
        names = []
        for i, l in enumerate(layers):
            n = "%s/layer.tar" % sha(l)[7:]
            files[n] = l
            names.append(n)
        files["manifest.json"] = json.dumps(
            [{"Config": cid + ".json", "RepoTags": [args.name],
              "Layers": names}]).encode()
    else:
        for d, data in blobs.items():
            files["blobs/sha256/" + d[7:]] = data
        files["oci-layout"] = b'{"imageLayoutVersion": "1.0.0"}'
        files["index.json"] = json.dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": sha(man_bytes), "size": len(man_bytes),
                "annotations": {"org.opencontainers.image.ref.name":
                                args.name.rsplit(":", 1)[-1]
                                if ":" in args.name.rsplit("/", 1)[-1]
                                else "latest",
                                "io.containerd.image.name": args.name}}]},
            sort_keys=True).encode()
    if args.format == "oci-dir":
        shutil.rmtree(args.out, ignore_errors=True)
        write_tree(files, args.out)
    else:
        write_tar(files, args.out)
    print(sha(man_bytes))


if __name__ == "__main__":
    sys.exit(main())
