# SPDX-License-Identifier: Apache-2.0
# The node agent (agent.h) and the conventions all node parts share.
libkdeck_a_SOURCES += src/cluster/node/agent.h \
	src/cluster/node/layout.h src/cluster/node/layout.c
libkdeck_a_SOURCES += src/cluster/node/podstatus.h src/cluster/node/podstatus.c

check_PROGRAMS += tests/unit/test_podstatus
TESTS += tests/unit/test_podstatus
tests_unit_test_podstatus_LDADD = $(KDECK_LIBS)
