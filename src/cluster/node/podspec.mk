# SPDX-License-Identifier: Apache-2.0
# Pod spec to runtime spec: volumes, env, command lines (podspec.h).
libkdeck_a_SOURCES += src/cluster/node/podspec.h
