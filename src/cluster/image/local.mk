# SPDX-License-Identifier: Apache-2.0
# image: the OCI image store, registry pulls and `kdeck image` (image.h).
libkdeck_a_SOURCES += src/cluster/image/image.h \
	src/cluster/image/image_priv.h src/cluster/image/registry.h \
	src/cluster/image/ref.c src/cluster/image/digest.c \
	src/cluster/image/manifest.c src/cluster/image/store.c \
	src/cluster/image/index.c src/cluster/image/gc.c \
	src/cluster/image/unpack.c src/cluster/image/import.c \
	src/cluster/image/registries.c src/cluster/image/auth.c \
	src/cluster/image/registry.c src/cluster/image/pull.c \
	src/cluster/image/cli.c

check_PROGRAMS += tests/unit/test_image_ref tests/unit/test_image_store
TESTS += tests/unit/test_image_ref tests/unit/test_image_store
tests_unit_test_image_ref_LDADD = $(KDECK_LIBS)
tests_unit_test_image_store_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/image_cli.sh tests/integration/image_pull.sh
EXTRA_DIST += tests/integration/image_cli.sh tests/integration/image_pull.sh \
	tests/images/push.py tests/images/token_server.py

FUZZ_TARGETS += tests/fuzz/fuzz_image_manifest tests/fuzz/fuzz_image_ref \
	tests/fuzz/fuzz_registries tests/fuzz/fuzz_www_auth
check_PROGRAMS += tests/fuzz/fuzz_image_manifest tests/fuzz/fuzz_image_ref \
	tests/fuzz/fuzz_registries tests/fuzz/fuzz_www_auth
tests_fuzz_fuzz_image_manifest_LDADD = $(KDECK_FUZZ_LIBS)
tests_fuzz_fuzz_image_ref_LDADD = $(KDECK_FUZZ_LIBS)
tests_fuzz_fuzz_registries_LDADD = $(KDECK_FUZZ_LIBS)
tests_fuzz_fuzz_www_auth_LDADD = $(KDECK_FUZZ_LIBS)

BENCH_SHS += tests/bench/bench_image.sh
