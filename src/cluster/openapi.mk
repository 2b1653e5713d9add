# src/cluster/openapi: OpenAPI v3 documents generated from the registry.
libkdeck_a_SOURCES += src/cluster/openapi.c src/cluster/openapi.h \
	src/cluster/openapi_int.h src/cluster/openapi_types.c

check_PROGRAMS += tests/unit/test_openapi
TESTS += tests/unit/test_openapi
tests_unit_test_openapi_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_openapi_check tests/fuzz/fuzz_ssa
check_PROGRAMS += tests/fuzz/fuzz_openapi_check tests/fuzz/fuzz_ssa
tests_fuzz_fuzz_openapi_check_LDADD = $(KDECK_FUZZ_LIBS)
tests_fuzz_fuzz_ssa_LDADD = $(KDECK_FUZZ_LIBS)
