/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small cluster's Services and EndpointSlices for test_svcnet, test_dns
 * and fuzz_dns: web (ClusterIP, two ready pods and one not ready, named
 * port http -> 8080, NodePort 30080), db (headless, StatefulSet pods
 * db-0 and db-1), empty (ClusterIP, no endpoints), ext (ExternalName).
 */
#ifndef KDECK_TESTS_SVC_FIXTURE_H
#define KDECK_TESTS_SVC_FIXTURE_H

static const char svc_fixture_services[] =
    "[{\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},"
    "\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.20\","
    "\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\","
    "\"nodePort\":30080},{\"name\":\"dns\",\"port\":53,"
    "\"protocol\":\"UDP\"}]}},"
    "{\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"},"
    "\"spec\":{\"clusterIP\":\"None\",\"ports\":[{\"name\":\"pg\","
    "\"port\":5432}]}},"
    "{\"metadata\":{\"name\":\"empty\",\"namespace\":\"default\"},"
    "\"spec\":{\"clusterIP\":\"10.96.0.30\",\"ports\":[{\"port\":81}]}},"
    "{\"metadata\":{\"name\":\"ext\",\"namespace\":\"default\"},"
    "\"spec\":{\"type\":\"ExternalName\",\"externalName\":"
    "\"example.org\"}}]";

static const char svc_fixture_slices[] =
    "[{\"metadata\":{\"name\":\"web-a\",\"namespace\":\"shop\","
    "\"labels\":{\"kubernetes.io/service-name\":\"web\"}},"
    "\"addressType\":\"IPv4\",\"ports\":[{\"name\":\"http\","
    "\"port\":8080,\"protocol\":\"TCP\"}],\"endpoints\":["
    "{\"addresses\":[\"10.244.0.5\"],\"conditions\":{\"ready\":true}},"
    "{\"addresses\":[\"10.244.0.6\"]},"
    "{\"addresses\":[\"10.244.0.7\"],\"conditions\":{\"ready\":false}}]},"
    "{\"metadata\":{\"name\":\"db-a\",\"namespace\":\"shop\","
    "\"labels\":{\"kubernetes.io/service-name\":\"db\"}},"
    "\"addressType\":\"IPv4\",\"ports\":[{\"name\":\"pg\","
    "\"port\":5432,\"protocol\":\"TCP\"}],\"endpoints\":["
    "{\"addresses\":[\"10.244.0.8\"],\"hostname\":\"db-0\"},"
    "{\"addresses\":[\"10.244.0.9\"],\"hostname\":\"db-1\"}]},"
    "{\"metadata\":{\"name\":\"v6\",\"namespace\":\"shop\","
    "\"labels\":{\"kubernetes.io/service-name\":\"web\"}},"
    "\"addressType\":\"IPv6\",\"endpoints\":[{\"addresses\":[\"fd00::1\"]}]}]";

#endif
