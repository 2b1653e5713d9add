# src/client: sources, unit tests and fuzz targets of this layer.
libkdeck_a_SOURCES += src/client/entry.c \
	src/client/client.h src/client/kubeconfig.h
