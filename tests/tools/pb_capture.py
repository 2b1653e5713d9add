#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pb_capture: a throwaway API-server stand-in that records request bodies.

Answers /version and legacy discovery (/api, /apis, /api/v1, /apis/G/V)
just well enough for `kubectl --server http://127.0.0.1:PORT ...` to send
its create/auth requests, and saves every POST/PUT/DELETE body as
OUTDIR/NNN-<verb>-<resource>.bin.  Used to capture the protobuf test
vectors in tests/data/pb/; not part of the build or the test suite.

    tests/tools/pb_capture.py PORT OUTDIR
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

# group/version -> [(resource, kind, namespaced)]
RESOURCES = {
    'v1': [('namespaces', 'Namespace', False), ('secrets', 'Secret', True),
           ('configmaps', 'ConfigMap', True),
           ('serviceaccounts', 'ServiceAccount', True),
           ('serviceaccounts/token', 'TokenRequest', True),
           ('services', 'Service', True), ('pods', 'Pod', True),
           ('resourcequotas', 'ResourceQuota', True),
           ('nodes', 'Node', False)],
    'apps/v1': [('deployments', 'Deployment', True)],
    'batch/v1': [('jobs', 'Job', True), ('cronjobs', 'CronJob', True)],
    'rbac.authorization.k8s.io/v1': [
        ('roles', 'Role', True), ('clusterroles', 'ClusterRole', False),
        ('rolebindings', 'RoleBinding', True),
        ('clusterrolebindings', 'ClusterRoleBinding', False)],
    'authorization.k8s.io/v1': [
        ('selfsubjectaccessreviews', 'SelfSubjectAccessReview', False),
        ('selfsubjectrulesreviews', 'SelfSubjectRulesReview', False),
        ('subjectaccessreviews', 'SubjectAccessReview', False),
        ('localsubjectaccessreviews', 'LocalSubjectAccessReview', True)],
    'authentication.k8s.io/v1': [
        ('selfsubjectreviews', 'SelfSubjectReview', False),
        ('tokenreviews', 'TokenReview', False)],
    'scheduling.k8s.io/v1': [('priorityclasses', 'PriorityClass', False)],
    'policy/v1': [('poddisruptionbudgets', 'PodDisruptionBudget', True)],
    'networking.k8s.io/v1': [('ingresses', 'Ingress', True)],
}


def resource_list(gv):
    res = []
    for name, kind, namespaced in RESOURCES[gv]:
        res.append({'name': name, 'singularName': '', 'namespaced': namespaced,
                    'kind': kind, 'verbs': ['create', 'delete', 'get', 'list',
                                            'update', 'patch', 'watch']})
    return {'kind': 'APIResourceList', 'apiVersion': 'v1',
            'groupVersion': gv, 'resources': res}


def group_list():
    groups = []
    for gv in RESOURCES:
        if '/' not in gv:
            continue
        g, v = gv.split('/')
        ver = {'groupVersion': gv, 'version': v}
        groups.append({'name': g, 'versions': [ver], 'preferredVersion': ver})
    return {'kind': 'APIGroupList', 'apiVersion': 'v1', 'groups': groups}


class Handler(BaseHTTPRequestHandler):
    count = 0

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split('?')[0]
        if path == '/version':
            return self.reply(200, {'major': '1', 'minor': '33',
                                    'gitVersion': 'v1.33.0'})
        if path == '/api':
            return self.reply(200, {'kind': 'APIVersions', 'versions': ['v1']})
        if path == '/apis':
            return self.reply(200, group_list())
        gv = path[len('/api/'):] if path.startswith('/api/') else \
            path[len('/apis/'):]
        if gv in RESOURCES:
            return self.reply(200, resource_list(gv))
        return self.reply(404, {'kind': 'Status', 'apiVersion': 'v1',
                                'status': 'Failure', 'reason': 'NotFound',
                                'code': 404, 'message': 'not found'})

    def record(self):
        n = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(n)
        Handler.count += 1
        name = '%03d-%s-%s.bin' % (Handler.count, self.command.lower(),
                                   self.path.split('?')[0].strip('/')
                                   .replace('/', '_'))
        with open(os.path.join(sys.argv[2], name), 'wb') as f:
            f.write(body)
        sys.stderr.write('%s %s %s\n' % (name, self.headers.get(
            'Content-Type'), len(body)))

    def do_POST(self):
        self.record()
        parts = self.path.split('?')[0].strip('/').split('/')
        kind = 'Status'
        for gv, lst in RESOURCES.items():
            for name, k, _ in lst:
                if name.split('/')[-1] in parts:
                    kind = k
        self.reply(201, {'kind': kind, 'apiVersion': 'v1',
                         'metadata': {'name': 'captured'},
                         'status': {'allowed': True, 'token': 'x'}})

    do_PUT = do_POST

    def do_DELETE(self):
        self.record()
        self.reply(200, {'kind': 'Status', 'apiVersion': 'v1',
                         'status': 'Success'})

    def log_message(self, fmt, *args):
        pass


if __name__ == '__main__':
    os.makedirs(sys.argv[2], exist_ok=True)
    HTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
