# SPDX-License-Identifier: Apache-2.0
# net: the pod network (see net/podnet.h, net/net_priv.h).  libnl-route
# for netlink; its flags join everyone's because libkdeck.a is one library.
AM_CPPFLAGS += $(NL_CFLAGS)
KDECK_LIBS += $(NL_LIBS)
libkdeck_a_SOURCES += src/cluster/net/podnet.h src/cluster/net/net_priv.h \
	src/cluster/net/ipam.c src/cluster/net/nft.c src/cluster/net/link.c \
	src/cluster/net/podnet.c src/cluster/net/netpick.c \
	src/cluster/net/usernet.c

# Services on the node: virtual IPs (nftables) and cluster DNS (ldns for
# the DNS wire format); agent_svc.c is the node agent's glue.
AM_CPPFLAGS += $(LDNS_CFLAGS)
KDECK_LIBS += $(LDNS_LIBS)
libkdeck_a_SOURCES += src/cluster/net/svcmodel.h src/cluster/net/svcmodel.c \
	src/cluster/net/svcrules.h src/cluster/net/svcrules.c \
	src/cluster/net/dns.h src/cluster/net/dns.c \
	src/cluster/net/dns_server.c src/cluster/net/dns_chase.c \
	src/cluster/net/ingress.h \
	src/cluster/net/ingress.c src/cluster/net/ingress_proxy.c \
	src/cluster/net/ingress_int.h src/cluster/net/ingress_fwd.c \
	src/cluster/net/ingress_tls.c src/cluster/net/ingress_upgrade.c \
	src/cluster/node/agent_svc.c

check_PROGRAMS += tests/unit/test_svcnet tests/unit/test_dns \
	tests/unit/test_ingress
TESTS += tests/unit/test_svcnet tests/unit/test_dns tests/unit/test_ingress
tests_unit_test_ingress_LDADD = $(KDECK_LIBS)
tests_unit_test_svcnet_LDADD = $(KDECK_LIBS)
tests_unit_test_dns_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_dns
check_PROGRAMS += tests/fuzz/fuzz_dns
tests_fuzz_fuzz_dns_LDADD = $(KDECK_FUZZ_LIBS)

EXTRA_DIST += tests/unit/svc_fixture.h
TESTS += tests/integration/node_services.sh tests/integration/node_lb.sh \
	tests/integration/node_ingress.sh
EXTRA_DIST += tests/integration/node_services.sh \
	tests/integration/node_lb.sh tests/integration/node_ingress.sh \
	tests/integration/svc_lib.sh

check_PROGRAMS += tests/unit/test_ipam tests/unit/test_podnet \
	tests/unit/test_podnet_multi
TESTS += tests/unit/test_ipam tests/unit/test_podnet \
	tests/unit/test_podnet_multi
tests_unit_test_podnet_multi_LDADD = $(KDECK_LIBS)
tests_unit_test_ipam_LDADD = $(KDECK_LIBS)
tests_unit_test_podnet_LDADD = $(KDECK_LIBS)

check_PROGRAMS += tests/unit/test_usernet
TESTS += tests/unit/test_usernet
tests_unit_test_usernet_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_ipam
check_PROGRAMS += tests/fuzz/fuzz_ipam
tests_fuzz_fuzz_ipam_LDADD = $(KDECK_FUZZ_LIBS)

EXTRA_PROGRAMS += tests/bench/bench_podnet
BENCH_BINS += tests/bench/bench_podnet
tests_bench_bench_podnet_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/node_two_clusters.sh
EXTRA_DIST += tests/integration/node_two_clusters.sh
