# src/common/data.mk: JSON and YAML helpers (json.h, yaml.h) over cJSON and
# libyaml, with their unit tests and fuzz targets.
libkdeck_a_SOURCES += \
	src/common/json.c src/common/json.h

check_PROGRAMS += tests/unit/test_json
TESTS += tests/unit/test_json
tests_unit_test_json_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_json
check_PROGRAMS += tests/fuzz/fuzz_json
tests_fuzz_fuzz_json_LDADD = $(KDECK_FUZZ_LIBS)

libkdeck_a_SOURCES += \
	src/common/yaml.h src/common/yaml_priv.h \
	src/common/yaml_scalar.c src/common/yaml_read.c src/common/yaml_write.c

check_PROGRAMS += tests/unit/test_yaml
TESTS += tests/unit/test_yaml
tests_unit_test_yaml_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_yaml
check_PROGRAMS += tests/fuzz/fuzz_yaml
tests_fuzz_fuzz_yaml_LDADD = $(KDECK_FUZZ_LIBS)

# kyaml held up against real kubectl (skips without kubectl).
check_PROGRAMS += tests/integration/kyaml_tool
tests_integration_kyaml_tool_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/yaml_kubectl.sh
EXTRA_DIST += tests/integration/yaml_kubectl.sh

EXTRA_PROGRAMS += tests/bench/bench_data
BENCH_BINS += tests/bench/bench_data
tests_bench_bench_data_LDADD = $(KDECK_LIBS)
