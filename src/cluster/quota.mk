# SPDX-License-Identifier: Apache-2.0
# ResourceQuota, LimitRange, PodDisruptionBudget and the eviction API:
# admission plugins, the quota and disruption controllers, pods/eviction.
libkdeck_a_SOURCES += src/cluster/quota.h src/cluster/quota_res.c \
	src/cluster/quota_admit.c src/cluster/limitrange.c \
	src/cluster/ctrl_quota.c src/cluster/ctrl_pdb.c src/cluster/pdb.h \
	src/cluster/api_evict.c

check_PROGRAMS += tests/unit/test_quota
TESTS += tests/unit/test_quota
tests_unit_test_quota_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/ctrl_quota.sh
EXTRA_DIST += tests/integration/ctrl_quota.sh
TESTS += tests/integration/ctrl_pdb.sh
EXTRA_DIST += tests/integration/ctrl_pdb.sh

FUZZ_TARGETS += tests/fuzz/fuzz_quota
check_PROGRAMS += tests/fuzz/fuzz_quota
tests_fuzz_fuzz_quota_LDADD = $(KDECK_FUZZ_LIBS)
