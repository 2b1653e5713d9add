# src/cluster/portfwd: pods/NAME/portforward -- SPDY/3.1 framing (spdy),
# the SPDY session (direct or tunnelled in WebSocket), the plain WebSocket
# channel protocol, and their tests.
libkdeck_a_SOURCES += src/cluster/spdy.c src/cluster/spdy.h

check_PROGRAMS += tests/unit/test_spdy
TESTS += tests/unit/test_spdy
tests_unit_test_spdy_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_spdy
check_PROGRAMS += tests/fuzz/fuzz_spdy
tests_fuzz_fuzz_spdy_LDADD = $(KDECK_FUZZ_LIBS)

libkdeck_a_SOURCES += src/cluster/portfwd.h src/cluster/pf_spdy.c \
	src/cluster/pf_ws.c src/cluster/api_pf.c

check_PROGRAMS += tests/unit/test_portfwd
TESTS += tests/unit/test_portfwd
tests_unit_test_portfwd_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/portfwd_kubectl.sh
EXTRA_DIST += tests/integration/portfwd_kubectl.sh
