# src/client: sources, unit tests and fuzz targets of this layer.
libkdeck_a_SOURCES += src/client/entry.c \
	src/client/client.h src/client/kubeconfig.h src/client/private.h \
	src/client/kc_private.h src/client/kc_yaml.c src/client/kc_util.c \
	src/client/kubeconfig.c src/client/kc_resolve.c

CLIENT_UNIT = tests/unit/test_kubeconfig
check_PROGRAMS += $(CLIENT_UNIT)
TESTS += $(CLIENT_UNIT)
tests_unit_test_kubeconfig_LDADD = $(KDECK_LIBS)
