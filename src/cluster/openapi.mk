# src/cluster/openapi: OpenAPI v3 documents generated from the registry.
libkdeck_a_SOURCES += src/cluster/openapi.c src/cluster/openapi.h \
	src/cluster/openapi_int.h src/cluster/openapi_types.c

check_PROGRAMS += tests/unit/test_openapi
TESTS += tests/unit/test_openapi
tests_unit_test_openapi_LDADD = $(KDECK_LIBS)
