# SPDX-License-Identifier: Apache-2.0
# net: the pod network (see net/podnet.h, net/net_priv.h).  libnl-route
# for netlink; its flags join everyone's because libkdeck.a is one library.
AM_CPPFLAGS += $(NL_CFLAGS)
KDECK_LIBS += $(NL_LIBS)
libkdeck_a_SOURCES += src/cluster/net/podnet.h src/cluster/net/net_priv.h \
	src/cluster/net/ipam.c src/cluster/net/nft.c src/cluster/net/link.c \
	src/cluster/net/podnet.c src/cluster/net/netpick.c \
	src/cluster/net/usernet.c

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
