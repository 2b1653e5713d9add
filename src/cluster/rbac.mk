# src/cluster/rbac
libkdeck_a_SOURCES += src/cluster/authz.c src/cluster/authz_review.c \
	src/cluster/authz_int.h src/cluster/rbac.h src/cluster/rbac_rules.c \
	src/cluster/rbac_index.c src/cluster/rbac_select.c \
	src/cluster/rbac_bootstrap.c \
	src/cluster/rbac_reconcile.c

check_PROGRAMS += tests/unit/test_rbac tests/unit/test_authz
TESTS += tests/unit/test_rbac tests/unit/test_authz
tests_unit_test_rbac_LDADD = $(KDECK_LIBS)
tests_unit_test_authz_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_rbac_rules
check_PROGRAMS += tests/fuzz/fuzz_rbac_rules
# Not $(KDECK_FUZZ_LIBS): automake refuses -fsanitize=fuzzer in LDADD.
if FUZZING
tests_fuzz_fuzz_rbac_rules_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_rbac_rules_LDADD = $(KDECK_LIBS)
else
tests_fuzz_fuzz_rbac_rules_LDADD = tests/fuzz/libreplay.a $(KDECK_LIBS)
endif

TESTS += tests/integration/rbac_kubectl.sh
EXTRA_DIST += tests/integration/rbac_kubectl.sh

EXTRA_PROGRAMS += tests/bench/bench_authz
BENCH_BINS += tests/bench/bench_authz
tests_bench_bench_authz_LDADD = $(KDECK_LIBS)
