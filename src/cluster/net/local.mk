# SPDX-License-Identifier: Apache-2.0
# net (see net/*.h).
libkdeck_a_SOURCES += src/cluster/net/podnet.h
