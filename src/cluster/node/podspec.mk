# SPDX-License-Identifier: Apache-2.0
# Pod spec to runtime spec: volumes, env, command lines (podspec.h).
libkdeck_a_SOURCES += src/cluster/node/podspec.h \
	src/cluster/node/podspec_int.h \
	src/cluster/node/podspec.c \
	src/cluster/node/podspec_cmd.c \
	src/cluster/node/podspec_env.c \
	src/cluster/node/podspec_files.c \
	src/cluster/node/podspec_res.c \
	src/cluster/node/podspec_sec.c \
	src/cluster/node/podvol.c \
	src/cluster/node/podvol_atomic.c \
	src/cluster/node/podvol_src.c

check_PROGRAMS += tests/unit/test_podspec tests/unit/test_podvol
TESTS += tests/unit/test_podspec tests/unit/test_podvol
tests_unit_test_podspec_LDADD = $(KDECK_LIBS)
tests_unit_test_podvol_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_podspec
check_PROGRAMS += tests/fuzz/fuzz_podspec
tests_fuzz_fuzz_podspec_LDADD = $(KDECK_FUZZ_LIBS)
