# src/cluster/api: the REST API (routing, discovery, CRUD, watch, Table,
# admission) and its tests.
libkdeck_a_SOURCES += \
	src/cluster/api.c src/cluster/api_int.h src/cluster/api_disc.c \
	src/cluster/api_obj.c src/cluster/api_rest.c src/cluster/api_delete.c \
	src/cluster/api_list.c src/cluster/api_watch.c src/cluster/api_boot.c src/cluster/api_call.c src/cluster/api_sub.c \
	src/cluster/api_review.c src/cluster/api_patch.c \
	src/cluster/registry.c src/cluster/registry.h \
	src/cluster/table.c src/cluster/table.h src/cluster/table_int.h \
	src/cluster/table_more.c \
	src/cluster/admit.c src/cluster/admit.h src/cluster/admit_int.h \
	src/cluster/admit_kinds.c src/cluster/admit_sa.c \
	src/cluster/admit_util.c src/cluster/admit_pod.c \
	src/cluster/admit_pod_ctr.c src/cluster/admit_rbac.c \
	src/cluster/admit_prio.c src/cluster/admit_ingress.c \
	src/cluster/admit_quantity.c src/cluster/admit_pod_sec.c \
	src/cluster/admit_pod_sched.c src/cluster/admit_pod_upd.c \
	src/cluster/api_conv.c

check_PROGRAMS += tests/unit/test_registry tests/unit/test_table \
	tests/unit/test_admit
TESTS += tests/unit/test_registry tests/unit/test_table tests/unit/test_admit
tests_unit_test_registry_LDADD = $(KDECK_LIBS)
tests_unit_test_table_LDADD = $(KDECK_LIBS)
tests_unit_test_admit_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/kubectl_api.sh
EXTRA_DIST += tests/integration/kubectl_api.sh
TESTS += tests/integration/api_list_snapshot.sh
EXTRA_DIST += tests/integration/api_list_snapshot.sh
TESTS += tests/integration/api_roundtrip.sh
EXTRA_DIST += tests/integration/api_roundtrip.sh tests/integration/api_roundtrip.py
TESTS += tests/integration/python_client.sh
EXTRA_DIST += tests/integration/python_client.sh

EXTRA_PROGRAMS += tests/bench/bench_api
BENCH_BINS += tests/bench/bench_api
tests_bench_bench_api_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/api_watch.sh
EXTRA_DIST += tests/integration/api_watch.sh

FUZZ_TARGETS += tests/fuzz/fuzz_admit
check_PROGRAMS += tests/fuzz/fuzz_admit
tests_fuzz_fuzz_admit_LDADD = $(KDECK_FUZZ_LIBS)
TESTS += tests/integration/api_sub.sh
EXTRA_DIST += tests/integration/api_sub.sh
TESTS += tests/integration/table_kubectl.sh
EXTRA_DIST += tests/integration/table_kubectl.sh
TESTS += tests/integration/api_service.sh
EXTRA_DIST += tests/integration/api_service.sh
check_PROGRAMS += tests/unit/test_admit_pod tests/unit/test_admit_more
TESTS += tests/unit/test_admit_pod tests/unit/test_admit_more
tests_unit_test_admit_pod_LDADD = $(KDECK_LIBS)
tests_unit_test_admit_more_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/admit_kubectl.sh
EXTRA_DIST += tests/integration/admit_kubectl.sh
TESTS += tests/integration/api_fidelity.sh
EXTRA_DIST += tests/integration/api_fidelity.sh
