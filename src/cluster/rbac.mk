# src/cluster/rbac
libkdeck_a_SOURCES += src/cluster/entry.c
libkdeck_a_SOURCES += src/cluster/authz.c src/cluster/authz_review.c \
	src/cluster/authz_int.h src/cluster/rbac.h src/cluster/rbac_rules.c \
	src/cluster/rbac_index.c src/cluster/rbac_select.c \
	src/cluster/rbac_bootstrap.c \
	src/cluster/rbac_store_weak.c

check_PROGRAMS += tests/unit/test_rbac tests/unit/test_authz
TESTS += tests/unit/test_rbac tests/unit/test_authz
tests_unit_test_rbac_LDADD = $(KDECK_LIBS)
tests_unit_test_authz_LDADD = $(KDECK_LIBS)
