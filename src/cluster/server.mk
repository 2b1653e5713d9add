# src/cluster/server: the cluster daemon, HTTPS server, PKI, authentication
# and the `kdeck cluster` command.
libkdeck_a_SOURCES += src/cluster/entry.c src/cluster/cli.c src/cluster/daemon.c \
	src/cluster/daemon.h src/cluster/daemon_kubeconfig.c src/cluster/server.c src/cluster/server.h \
	src/cluster/server_gzip.c src/cluster/server_tls.c src/cluster/server_tls.h \
	src/cluster/server_obs.c src/cluster/pki.c src/cluster/pki.h \
	src/cluster/authn.c src/cluster/authn.h src/cluster/satoken.c \
	src/cluster/satoken.h

check_PROGRAMS += tests/unit/test_pki tests/unit/test_authn tests/unit/test_server \
	tests/unit/test_gzip
TESTS += tests/unit/test_pki tests/unit/test_authn tests/unit/test_server \
	tests/unit/test_gzip
tests_unit_test_gzip_LDADD = $(KDECK_LIBS)
tests_unit_test_pki_LDADD = $(KDECK_LIBS)
tests_unit_test_authn_LDADD = $(KDECK_LIBS)
tests_unit_test_server_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/cluster_cli.sh tests/integration/server_http.sh
EXTRA_DIST += tests/integration/cluster_cli.sh tests/integration/server_http.sh

BENCH_SHS += tests/bench/cluster_start.sh

FUZZ_TARGETS += tests/fuzz/fuzz_authn
check_PROGRAMS += tests/fuzz/fuzz_authn
tests_fuzz_fuzz_authn_LDADD = $(KDECK_FUZZ_LIBS)

# TLS termination (server_tls.c): bulk streams and hostile TLS input.
TESTS += tests/integration/stream_bulk.sh tests/integration/server_tls.sh
EXTRA_DIST += tests/integration/stream_bulk.sh tests/integration/server_tls.sh
check_PROGRAMS += tests/unit/test_server_tls
TESTS += tests/unit/test_server_tls
tests_unit_test_server_tls_LDADD = $(KDECK_LIBS)
