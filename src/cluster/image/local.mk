# SPDX-License-Identifier: Apache-2.0
# image: the OCI image store, registry pulls and `kdeck image` (image.h).
libkdeck_a_SOURCES += src/cluster/image/image.h \
	src/cluster/image/image_priv.h src/cluster/image/registry.h \
	src/cluster/image/ref.c src/cluster/image/digest.c \
	src/cluster/image/manifest.c src/cluster/image/store.c \
	src/cluster/image/index.c src/cluster/image/gc.c \
	src/cluster/image/unpack.c src/cluster/image/import.c \
	src/cluster/image/registries.c src/cluster/image/auth.c \
	src/cluster/image/registry.c src/cluster/image/pull.c \
	src/cluster/image/cli.c
