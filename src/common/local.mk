# src/common core: errors, memory, strings, vectors.
libkdeck_a_SOURCES += \
	src/common/err.c src/common/err.h \
	src/common/mem.c src/common/mem.h \
	src/common/buf.c src/common/buf.h \
	src/common/vec.c src/common/vec.h \
	src/common/file.c src/common/file.h \
	src/common/ws.c src/common/ws.h \
	src/common/env.c src/common/env.h \
	src/cmd.h

check_PROGRAMS += tests/unit/test_err tests/unit/test_buf
TESTS += tests/unit/test_err tests/unit/test_buf
tests_unit_test_err_LDADD = $(KDECK_LIBS)
tests_unit_test_buf_LDADD = $(KDECK_LIBS)

# ws: WebSocket framing (engineer wsexec)
check_PROGRAMS += tests/unit/test_ws
TESTS += tests/unit/test_ws
tests_unit_test_ws_LDADD = $(KDECK_LIBS)
FUZZ_TARGETS += tests/fuzz/fuzz_ws
check_PROGRAMS += tests/fuzz/fuzz_ws
tests_fuzz_fuzz_ws_LDADD = $(KDECK_FUZZ_LIBS)
