# src/cluster/pb: protobuf request bodies -> JSON.
libkdeck_a_SOURCES += \
	src/cluster/pb.c src/cluster/pb.h src/cluster/pb_wire.h \
	src/cluster/pb_schema.h src/cluster/pb_schema_core.c \
	src/cluster/pb_schema_pod.c src/cluster/pb_schema_apis.c \
	src/cluster/pb_schema_ext.c

check_PROGRAMS += tests/unit/test_pb
TESTS += tests/unit/test_pb
tests_unit_test_pb_LDADD = $(KDECK_LIBS)
EXTRA_DIST += tests/data/pb tests/tools/pb_capture.py tests/tools/pb_schema_gen.py \
	tests/tools/pb_handmade.py

FUZZ_TARGETS += tests/fuzz/fuzz_pb
check_PROGRAMS += tests/fuzz/fuzz_pb
tests_fuzz_fuzz_pb_LDADD = $(KDECK_FUZZ_LIBS)

TESTS += tests/integration/pb_kubectl.sh
EXTRA_DIST += tests/integration/pb_kubectl.sh
