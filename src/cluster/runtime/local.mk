# SPDX-License-Identifier: Apache-2.0
# runtime (see runtime/*.h).
libkdeck_a_SOURCES += src/cluster/runtime/runtime.h
