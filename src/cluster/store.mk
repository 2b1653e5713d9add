# src/cluster/store: the SQLite-backed versioned store with watch.
libkdeck_a_SOURCES += \
	src/cluster/store_int.h \
	src/cluster/store.c \
	src/cluster/store_obj.c \
	src/cluster/store_log.c \
	src/cluster/store_writer.c \
	src/cluster/store_watch.c \
	src/cluster/store_compact.c \
	src/cluster/api_list_memo.c

check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store
tests_unit_test_store_LDADD = $(KDECK_LIBS)

# Crash test: a writer killed with kill -9 at random moments.
check_PROGRAMS += tests/tools/store_writer
tests_tools_store_writer_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/store_crash.sh
EXTRA_DIST += tests/integration/store_crash.sh

EXTRA_PROGRAMS += tests/bench/bench_store
BENCH_BINS += tests/bench/bench_store
tests_bench_bench_store_LDADD = $(KDECK_LIBS)

# Opening damaged database files.
FUZZ_TARGETS += tests/fuzz/fuzz_store_file
check_PROGRAMS += tests/fuzz/fuzz_store_file
tests_fuzz_fuzz_store_file_LDADD = $(KDECK_FUZZ_LIBS)

# LIST memos: Table and label-selector lists equal the parsing path's.
check_PROGRAMS += tests/unit/test_list_memo
TESTS += tests/unit/test_list_memo
tests_unit_test_list_memo_LDADD = $(KDECK_LIBS)
