# SPDX-License-Identifier: Apache-2.0
# image (see image/*.h).
libkdeck_a_SOURCES += src/cluster/image/image.h
