# src/client: sources, unit tests and fuzz targets of this layer.
libkdeck_a_SOURCES += src/client/get.c src/client/get.h src/client/get_print.c src/client/get_watch.c \
	src/client/logs.c src/client/prompt.c src/client/sshcmd.c \
	src/client/client.h src/client/kubeconfig.h src/client/private.h \
	src/client/kc_private.h src/client/transport.h src/client/xfer.h \
	src/client/kc_yaml.c src/client/kc_util.c src/client/kubeconfig.c \
	src/client/kc_resolve.c src/client/watch.c src/client/ratelimit.c \
	src/client/status.c src/client/auth.c src/client/auth_job.c \
	src/client/transport.c \
	src/client/client.c src/client/rest.c src/client/discovery.c \
	src/client/informer.c src/client/ssh.c src/client/ssh.h \
	src/client/stream.h src/client/ws_head.c src/client/ws_client.c \
	src/client/ws_exec.c src/client/ws_pf.c src/client/execcmd.c \
	src/client/pfcmd.c

CLIENT_UNIT = tests/unit/test_kubeconfig
check_PROGRAMS += $(CLIENT_UNIT)
TESTS += $(CLIENT_UNIT)
tests_unit_test_kubeconfig_LDADD = $(KDECK_LIBS)

check_PROGRAMS += tests/unit/test_watch
TESTS += tests/unit/test_watch
tests_unit_test_watch_LDADD = $(KDECK_LIBS)

check_PROGRAMS += tests/unit/test_auth
TESTS += tests/unit/test_auth
tests_unit_test_auth_LDADD = $(KDECK_LIBS)

# Fuzz targets (libFuzzer with --enable-fuzzing, seed replay otherwise).
FUZZ_TARGETS += tests/fuzz/fuzz_watchstream tests/fuzz/fuzz_kubeconfig
check_PROGRAMS += tests/fuzz/fuzz_watchstream tests/fuzz/fuzz_kubeconfig
if FUZZING
tests_fuzz_fuzz_watchstream_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_watchstream_LDADD = $(KDECK_LIBS)
tests_fuzz_fuzz_kubeconfig_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_kubeconfig_LDADD = $(KDECK_LIBS)
else
tests_fuzz_fuzz_watchstream_LDADD = tests/fuzz/libreplay.a $(KDECK_LIBS)
tests_fuzz_fuzz_kubeconfig_LDADD = tests/fuzz/libreplay.a $(KDECK_LIBS)
endif

# Integration tests (skip while the embedded cluster cannot serve the API).
TESTS += tests/integration/get.sh tests/integration/client_watch.sh \
	tests/integration/client_transport.sh tests/integration/ssh_tunnel.sh
EXTRA_DIST += tests/integration/get.sh tests/integration/client_watch.sh \
	tests/integration/client_cluster.sh \
	tests/integration/client_transport.sh \
	tests/integration/client_transport_server.py \
	tests/integration/client_proxy.py tests/integration/ssh_tunnel.sh

# The dashboard's client lifecycle against a silent server (tmux).
TESTS += tests/tui/silent.sh
EXTRA_DIST += tests/tui/silent.sh

# Streams reuse the client's exec credential (stand-in server).
TESTS += tests/integration/client_ws_cred.sh
EXTRA_DIST += tests/integration/client_ws_cred.sh

# Benchmark: 10,000 pods through the client (make bench).
EXTRA_PROGRAMS += tests/bench/bench_client
bench: tests/bench/bench_client
BENCH_SHS += tests/bench/bench_client.sh
tests_bench_bench_client_LDADD = $(KDECK_LIBS)

# WebSocket streams (exec, attach, port-forward): unit test and fuzzer.
check_PROGRAMS += tests/unit/test_ws_client
TESTS += tests/unit/test_ws_client
tests_unit_test_ws_client_LDADD = $(KDECK_LIBS)
FUZZ_TARGETS += tests/fuzz/fuzz_ws_head
check_PROGRAMS += tests/fuzz/fuzz_ws_head
if FUZZING
tests_fuzz_fuzz_ws_head_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_ws_head_LDADD = $(KDECK_LIBS)
else
tests_fuzz_fuzz_ws_head_LDADD = tests/fuzz/libreplay.a $(KDECK_LIBS)
endif
TESTS += tests/integration/ws_client_fake.sh
EXTRA_DIST += tests/integration/ws_client_fake.sh \
	tests/integration/ws_fake_server.py
TESTS += tests/integration/exec_client.sh
EXTRA_DIST += tests/integration/exec_client.sh

# Exec plugins off the I/O thread, their terminal, cancellable discovery
# (client_tool drives the client layer for client_auth.sh); basic auth on
# WebSocket upgrades.
check_PROGRAMS += tests/integration/client_tool
tests_integration_client_tool_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/client_auth.sh tests/integration/client_ws_basic.sh \
	tests/integration/ssh_passphrase.sh
EXTRA_DIST += tests/integration/client_auth.sh \
	tests/integration/ssh_passphrase.sh \
	tests/integration/client_auth_server.py \
	tests/integration/client_ws_basic.sh

# Exec credentials on WebSocket upgrades: single flight, retry after 401.
TESTS += tests/integration/client_ws_stale.sh
EXTRA_DIST += tests/integration/client_ws_stale.sh

# Real parts before the embedded cluster: nghttpx (h2, http/1.1 fallback),
# tinyproxy behind TLS (proxy-url https://), insecure-skip-tls-verify.
TESTS += tests/integration/client_h2.sh
EXTRA_DIST += tests/integration/client_h2.sh \
	tests/integration/client_tls_front.py

# An informer across a compaction of the embedded cluster (410, relist).
TESTS += tests/integration/client_compact.sh
EXTRA_DIST += tests/integration/client_compact.sh
