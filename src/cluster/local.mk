# src/cluster: sources, unit tests and fuzz targets of this layer.
libkdeck_a_SOURCES += src/cluster/entry.c
