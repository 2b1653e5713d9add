#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# pb_schema_gen: writes src/cluster/pb_schema*.{c,h} from Kubernetes'
# generated.proto files (kubernetes/api <group>/v1/generated.proto saved as
# <group>.proto; apimachinery meta/v1 as meta.proto, util/intstr as
# intstr.proto).  A developer tool, not part of the build:
#   tests/tools/pb_schema_gen.py src/cluster PROTO_DIR [TYPES_DIR]
# TYPES_DIR holds the matching types.go files (<group>.go, meta.go): Go
# pointer fields, json omitempty and inline embedding decide the Z/E/I
# flags; without it a built-in name list stands in.
# autoscaling/v1 is saved as autoscaling.proto, autoscaling/v2 as
# autoscalingv2.proto.  Last run against kubernetes/api 10b39a39b and
# apimachinery's HEAD of the same day (the mirrors of the fetch tool).
import re, sys
D = sys.argv[2] + '/' if len(sys.argv) > 2 else 'protos/'
FILES = ['core', 'apps', 'batch', 'rbac', 'authorization', 'authentication',
         'scheduling', 'policy', 'networking', 'meta', 'intstr', 'storage',
         'discovery', 'autoscaling', 'autoscalingv2', 'coordination',
         'admissionregistration', 'node', 'certificates', 'events',
         'flowcontrol']
# Groups written to pb_schema_ext.c (the rest of the groups to pb_schema_apis.c).
EXT = {'storage', 'discovery', 'autoscaling', 'autoscalingv2', 'coordination',
       'admissionregistration', 'node', 'certificates', 'events', 'flowcontrol'}
# Root kinds whose status is kept in the tables (decoded, not skipped).
KEEP_STATUS = {'authorization', 'authentication', 'autoscaling'}
msgs = {}   # (short, name) -> list of (label, type, name, num)
pkgmap = {}
for f in FILES:
    txt = open(D + f + '.proto').read()
    pkg = re.search(r'^package ([\w.]+);', txt, re.M).group(1)
    pkgmap[pkg] = f
    for m in re.finditer(r'^message (\w+) \{(.*?)^\}', txt, re.M | re.S):
        fields = []
        for line in m.group(2).splitlines():
            line = line.strip()
            fm = re.match(r'(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+);', line)
            mm = re.match(r'map<\s*string,\s*([\w.]+)>\s+(\w+)\s*=\s*(\d+);', line)
            if fm:
                fields.append((fm.group(1), fm.group(2), fm.group(3), int(fm.group(4))))
            elif mm:
                fields.append(('map', mm.group(1), mm.group(2), int(mm.group(3))))
        msgs[(f, m.group(1))] = fields

# Go struct facts from the types.go files next to the protos (<group>.go):
# (short, struct) -> {field number: (pointer, omitempty, inline)}.
GO = {}
TD = sys.argv[3] + '/' if len(sys.argv) > 3 else None
if TD:
    for f in FILES:
        try:
            lines = open(TD + f + '.go').read().splitlines()
        except OSError:
            continue
        cur = None
        for line in lines:
            m = re.match(r'^type (\w+) struct', line)
            if m:
                cur = GO.setdefault((f, m.group(1)), {})
                continue
            m = re.match(r'^\t(?:(\w+)\s+)?(\S+)\s+`(.*)`', line)
            if not m or cur is None:
                continue
            js = re.search(r'json:"([^"]*)"', m.group(3))
            pb = re.search(r'protobuf:"([^"]*)"', m.group(3))
            if not js or not pb:
                continue
            parts = js.group(1).split(',')
            num = int(pb.group(1).split(',')[1])
            cur[num] = (m.group(2).startswith('*'), 'omitempty' in parts[1:],
                        parts[0] == '', parts[0])

SPECIAL = {
    'meta.Time': 'PB_TIME', 'meta.MicroTime': 'PB_MICROTIME',
    'meta.Duration': 'PB_DURATION', 'resource.Quantity': 'PB_QUANTITY',
    'intstr.IntOrString': 'PB_INTSTR',
}
SCALAR = {'string': 'PB_STRING', 'int32': 'PB_INT32', 'int64': 'PB_INT64',
          'bool': 'PB_BOOL', 'bytes': 'PB_BYTES', 'double': 'PB_DOUBLE'}
KEEP_ZERO = set('''replicas parallelism completions backoffLimit suspend
automountServiceAccountToken immutable PriorityClass.value startingDeadlineSeconds
successfulJobsHistoryLimit failedJobsHistoryLimit ttlSecondsAfterFinished
activeDeadlineSeconds terminationGracePeriodSeconds gracePeriodSeconds
orphanDependents runAsUser runAsGroup runAsNonRoot privileged
readOnlyRootFilesystem allowPrivilegeEscalation optional defaultMode fsGroup
revisionHistoryLimit progressDeadlineSeconds expirationSeconds
backoffLimitPerIndex maxFailedIndexes enableServiceLinks hostUsers
shareProcessNamespace setHostnameAsFQDN allocateLoadBalancerNodePorts'''.split())
KEEP_EMPTY = set('emptyDir'.split())
# Go structs embedded with `json:",inline"`: their fields join the parent.
INLINE = set('''localObjectReference volumeSource ingressRuleValue handler
ephemeralContainerCommon persistentVolumeSource'''.split())
SKIP = {'managedFields'}

def resolve(cur, t):
    if t in SCALAR:
        return SCALAR[t], None
    if t.startswith('.'):
        pkg, name = t[1:].rsplit('.', 1)
        if pkg.endswith('api.resource'):
            short = 'resource'
        else:
            short = pkgmap.get(pkg)
        if short is None:
            return None, None
    else:
        short, name = cur, t
    key = short + '.' + name
    if key in SPECIAL:
        return SPECIAL[key], None
    if (short, name) in msgs:
        return 'PB_MSG', (short, name)
    return None, None

ROOTS = [('core', 'Namespace', 'v1'), ('core', 'Secret', 'v1'),
         ('core', 'ConfigMap', 'v1'), ('core', 'ServiceAccount', 'v1'),
         ('core', 'Service', 'v1'), ('core', 'Pod', 'v1'),
         ('core', 'ResourceQuota', 'v1'),
         ('authorization', 'SelfSubjectAccessReview', 'authorization.k8s.io/v1'),
         ('authorization', 'SelfSubjectRulesReview', 'authorization.k8s.io/v1'),
         ('authorization', 'SubjectAccessReview', 'authorization.k8s.io/v1'),
         ('authorization', 'LocalSubjectAccessReview', 'authorization.k8s.io/v1'),
         ('authentication', 'SelfSubjectReview', 'authentication.k8s.io/v1'),
         ('authentication', 'TokenRequest', 'authentication.k8s.io/v1'),
         ('meta', 'DeleteOptions', 'v1'), ('meta', 'DeleteOptions', 'meta.k8s.io/v1'),
         ('apps', 'Deployment', 'apps/v1'), ('batch', 'Job', 'batch/v1'),
         ('apps', 'StatefulSet', 'apps/v1'), ('apps', 'DaemonSet', 'apps/v1'),
         ('apps', 'ReplicaSet', 'apps/v1'),
         ('core', 'PersistentVolumeClaim', 'v1'), ('core', 'LimitRange', 'v1'),
         ('batch', 'CronJob', 'batch/v1'),
         ('rbac', 'Role', 'rbac.authorization.k8s.io/v1'),
         ('rbac', 'ClusterRole', 'rbac.authorization.k8s.io/v1'),
         ('rbac', 'RoleBinding', 'rbac.authorization.k8s.io/v1'),
         ('rbac', 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1'),
         ('scheduling', 'PriorityClass', 'scheduling.k8s.io/v1'),
         ('policy', 'PodDisruptionBudget', 'policy/v1'),
         ('networking', 'Ingress', 'networking.k8s.io/v1'),
         ('core', 'PersistentVolume', 'v1'), ('core', 'Endpoints', 'v1'),
         ('core', 'PodTemplate', 'v1'), ('core', 'ReplicationController', 'v1'),
         ('core', 'Node', 'v1'), ('core', 'Event', 'v1'),
         ('networking', 'NetworkPolicy', 'networking.k8s.io/v1'),
         ('networking', 'IngressClass', 'networking.k8s.io/v1'),
         ('networking', 'IPAddress', 'networking.k8s.io/v1'),
         ('networking', 'ServiceCIDR', 'networking.k8s.io/v1'),
         ('storage', 'StorageClass', 'storage.k8s.io/v1'),
         ('storage', 'CSIDriver', 'storage.k8s.io/v1'),
         ('storage', 'CSINode', 'storage.k8s.io/v1'),
         ('storage', 'CSIStorageCapacity', 'storage.k8s.io/v1'),
         ('storage', 'VolumeAttachment', 'storage.k8s.io/v1'),
         ('discovery', 'EndpointSlice', 'discovery.k8s.io/v1'),
         ('autoscaling', 'HorizontalPodAutoscaler', 'autoscaling/v1'),
         ('autoscalingv2', 'HorizontalPodAutoscaler', 'autoscaling/v2'),
         ('coordination', 'Lease', 'coordination.k8s.io/v1'),
         ('admissionregistration', 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/v1'),
         ('admissionregistration', 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io/v1'),
         ('admissionregistration', 'ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1'),
         ('admissionregistration', 'ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io/v1'),
         ('node', 'RuntimeClass', 'node.k8s.io/v1'),
         ('certificates', 'CertificateSigningRequest', 'certificates.k8s.io/v1'),
         ('events', 'Event', 'events.k8s.io/v1'),
         ('flowcontrol', 'FlowSchema', 'flowcontrol.apiserver.k8s.io/v1'),
         ('flowcontrol', 'PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io/v1')]

rows = {}
order = []
def visit(key, root=False):
    if key in rows:
        return
    rows[key] = None
    out = []
    for label, t, name, num in msgs[key]:
        if name in SKIP or (root and name == 'status' and key[0] not in KEEP_STATUS):
            continue
        if label == 'map':
            mt = {'string': 'PB_MAP_STRING', 'bytes': 'PB_MAP_BYTES'}.get(t)
            if t.endswith('resource.Quantity'):
                mt = 'PB_MAP_QUANTITY'
            if t == 'ExtraValue':
                mt = 'PB_MAP_STRINGS'
            if mt:
                out.append((num, name, mt, False, None))
            else:
                print('skipped map %s.%s.%s (%s)' % (key[0], key[1], name, t), file=sys.stderr)
            continue
        ty, sub = resolve(key[0], t)
        if ty is None:
            print('skipped %s.%s.%s (%s)' % (key[0], key[1], name, t), file=sys.stderr)
            continue
        if sub:
            visit(sub)
        out.append((num, name, ty, label == 'repeated', sub))
    rows[key] = out
    order.append(key)

for short, kind, av in ROOTS:
    visit((short, kind), True)

def cname(k):
    return 'pb_m_%s_%s' % (k[0], k[1])

groups = {}
for k in order:
    groups.setdefault(k[0], []).append(k)

hdr = ['/* SPDX-License-Identifier: Apache-2.0 */',
       '/* pb_schema: the message tables of the pb decoder (one per message). */',
       '#ifndef KDECK_CLUSTER_PB_SCHEMA_H', '#define KDECK_CLUSTER_PB_SCHEMA_H', '',
       '#include "cluster/pb_wire.h"', '']
for k in order:
    hdr.append('extern const struct pb_msg %s;' % cname(k))
hdr.append('')
hdr.append('/* Root kinds: apiVersion, kind -> message; NULL-terminated. */')
hdr.append('extern const struct pb_kind pb_kinds[];')
hdr += ['', '#endif']
open(sys.argv[1] + '/pb_schema.h', 'w').write('\n'.join(hdr) + '\n')

def emit(keys, fname, note):
    L = ['/* SPDX-License-Identifier: Apache-2.0 */', '/*',
         ' * %s: protobuf schema tables (%s).' % (fname, note),
         ' *',
         ' * Field numbers and names follow Kubernetes\' generated.proto.  Flags:',
         ' * R repeated, Z keep zero values (a Go pointer, or a field whose json',
         ' * tag lacks omitempty), E keep an empty message (a set Go pointer,',
         ' * e.g. emptyDir: {}),',
         ' * I inline (a Go struct embedded with json:",inline").',
         ' */', '#include "config.h"', '', '#include "cluster/pb_schema.h"', '',
         '#define F(n, name, type, flags, sub) { n, name, type, flags, sub }', '']
    for k in keys:
        L.append('static const struct pb_field f_%s_%s[] = {' % k)
        for num, name, ty, rep, sub in rows[k]:
            flags = []
            go = GO.get(k, {}).get(num)
            scalar = ty in SCALAR.values()
            if rep: flags.append('PB_R')
            if go is not None:
                ptr, omit, inline, jname = go
                if jname and jname != name:
                    # the JSON name wins (proto `Webhooks`, JSON `webhooks`)
                    print('json name %s.%s: %s -> %s' % (k[0], k[1], name, jname), file=sys.stderr)
                    name = jname
                if scalar and not rep and (ptr or not omit):
                    flags.append('PB_Z')
                if ty == 'PB_MSG' and ptr:
                    flags.append('PB_E')
                if ty == 'PB_MSG' and inline:
                    flags.append('PB_I')
            else:
                if name in KEEP_ZERO or k[1] + '.' + name in KEEP_ZERO:
                    flags.append('PB_Z')
                if name in KEEP_EMPTY: flags.append('PB_E')
                if name in INLINE and ty == 'PB_MSG': flags.append('PB_I')
            L.append('\tF(%d, "%s", %s, %s, %s),' % (num, name, ty,
                     '|'.join(flags) or '0', '&' + cname(sub) if sub else 'NULL'))
        L.append('};')
        L.append('const struct pb_msg %s = { "%s", f_%s_%s, %d };' % (cname(k), k[1], k[0], k[1], len(rows[k])))
        L.append('')
    return L

core = [k for k in order if k[0] == 'core']
rest = [k for k in order if k[0] != 'core' and k[0] not in EXT]
ext = [k for k in order if k[0] in EXT]
open(sys.argv[1] + '/pb_schema_ext.c', 'w').write('\n'.join(emit(ext, 'pb_schema_ext.c', 'storage, discovery, autoscaling, coordination, admissionregistration, node, certificates, events, flowcontrol')) + '\n')
half = len(core) // 2
open(sys.argv[1] + '/pb_schema_core.c', 'w').write('\n'.join(emit(core[:half], 'pb_schema_core.c', 'core/v1, part 1')) + '\n')
open(sys.argv[1] + '/pb_schema_pod.c', 'w').write('\n'.join(emit(core[half:], 'pb_schema_pod.c', 'core/v1, part 2')) + '\n')
L = emit(rest, 'pb_schema_apis.c', 'meta/v1 and the API groups')
L.append('const struct pb_kind pb_kinds[] = {')
for short, kind, av in ROOTS:
    L.append('\t{ "%s", "%s", &%s },' % (av, kind, cname((short, kind))))
L.append('\t{ NULL, NULL, NULL },')
L.append('};')
open(sys.argv[1] + '/pb_schema_apis.c', 'w').write('\n'.join(L) + '\n')
print(len(order), 'messages', sum(len(v) for v in rows.values()), 'fields', len(core), 'core')
