#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pb_handmade: writes the hand-built protobuf vectors of tests/data/pb/.

Bodies no kubectl command sends (helm's DeleteOptions, a Pod with volumes,
probes, resources and a timestamp) are encoded here field by field, with
the field numbers of Kubernetes' generated.proto.  Run from the top of the
tree: tests/tools/pb_handmade.py tests/data/pb
"""
import sys


def varint(n):
    n &= (1 << 64) - 1
    out = b''
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def vi(num, n):
    return varint(num << 3) + varint(n)


def ld(num, data):
    if isinstance(data, str):
        data = data.encode()
    return varint(num << 3 | 2) + varint(len(data)) + data


def entry(num, k, v):
    return ld(num, ld(1, k) + ld(2, v))


def envelope(api_version, kind, raw):
    return b'k8s\0' + ld(1, ld(1, api_version) + ld(2, kind)) + ld(2, raw) \
        + ld(3, '') + ld(4, '')


def pod():
    meta = ld(1, 'p1') + ld(3, 'default') + ld(8, vi(1, 1795946400)) \
        + entry(11, 'app', 'web') + entry(12, 'note', '') + ld(14, 'f1')
    port = vi(3, 8080)                               # ContainerPort
    http = ld(1, '/healthz') + ld(2, vi(1, 0) + vi(2, 8080))
    probe = ld(1, ld(2, http)) + vi(2, 5)            # handler inline
    res = entry(1, 'cpu', ld(1, '500m')) + entry(1, 'memory', ld(1, '1Gi')) \
        + entry(2, 'cpu', ld(1, '0.1'))
    env = ld(1, 'A') + ld(2, '1')
    empty_env = ld(1, 'B') + ld(2, '')
    mount = ld(1, 'data') + ld(3, '/data')
    container = ld(1, 'web') + ld(2, 'nginx') + ld(6, port) + ld(7, env) \
        + ld(7, empty_env) + ld(8, res) + ld(9, mount) + ld(10, probe)
    v1 = ld(1, 'data') + ld(2, ld(2, ''))            # emptyDir: {}
    v2 = ld(1, 'cfg') + ld(2, ld(19, ld(1, ld(1, 'cm1')) + vi(3, 420)))
    spec = ld(1, v1) + ld(1, v2) + ld(2, container) + ld(3, 'Always') \
        + vi(4, 0) + vi(21, 0)
    return envelope('v1', 'Pod', ld(1, meta) + ld(2, spec) + ld(3, ''))


def delete_options():
    return envelope('v1', 'DeleteOptions', b'')


def delete_options_full():
    raw = vi(1, 0) + ld(2, ld(1, 'uid-1')) + ld(4, 'Foreground') \
        + ld(5, 'All') + vi(99, 7)                   # unknown field 99
    return envelope('meta.k8s.io/v1', 'DeleteOptions', raw)


def sar():
    ra = ld(1, 'default') + ld(2, 'get') + ld(3, 'apps') + ld(5, 'deployments')
    spec = ld(1, ra) + ld(3, 'alice') + ld(6, 'uid-9') + ld(4, 'devs') + ld(4, 'ops') \
        + entry(5, 'scopes', ld(1, 'a') + ld(1, 'b'))
    return envelope('authorization.k8s.io/v1', 'SubjectAccessReview',
                    ld(1, b'') + ld(2, spec))


VECTORS = {'pod': pod, 'deleteoptions': delete_options,
           'deleteoptions-full': delete_options_full, 'sar': sar}

if __name__ == '__main__':
    for name, fn in VECTORS.items():
        with open('%s/%s.bin' % (sys.argv[1], name), 'wb') as f:
            f.write(fn())
