# src/common core: errors, memory, strings, vectors.
libkdeck_a_SOURCES += \
	src/common/err.c src/common/err.h \
	src/common/mem.c src/common/mem.h \
	src/common/buf.c src/common/buf.h \
	src/common/vec.c src/common/vec.h \
	src/common/file.c src/common/file.h \
	src/cmd.h

check_PROGRAMS += tests/unit/test_err tests/unit/test_buf
TESTS += tests/unit/test_err tests/unit/test_buf
tests_unit_test_err_LDADD = $(KDECK_LIBS)
tests_unit_test_buf_LDADD = $(KDECK_LIBS)
