# src/cluster/apply: kubectl apply / patch flows and helm against the
# embedded cluster (integration tests and the apply benchmark only).
TESTS += tests/integration/apply_kubectl.sh tests/integration/apply_edit.sh \
	tests/integration/apply_manifests.sh tests/integration/ssa_builtin.sh \
	tests/integration/helm_install.sh tests/integration/helm_wait.sh \
	tests/integration/helm3.sh
EXTRA_DIST += tests/integration/apply_kubectl.sh tests/integration/apply_edit.sh \
	tests/integration/apply_common.sh \
	tests/integration/apply_manifests.sh tests/integration/ssa_builtin.sh \
	tests/integration/helm_install.sh tests/integration/helm_wait.sh \
	tests/integration/helm3.sh
BENCH_SHS += tests/bench/apply_boutique.sh

libkdeck_a_SOURCES += src/cluster/openapi_check.c src/cluster/openapi_typecheck.c src/cluster/api_ssa.c \
	src/cluster/api_ssa_order.c

check_PROGRAMS += tests/unit/test_ssa
TESTS += tests/unit/test_ssa
tests_unit_test_ssa_LDADD = $(KDECK_LIBS)
