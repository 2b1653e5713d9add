# src/tui: sources, unit tests and fuzz targets of this layer.
libkdeck_a_SOURCES += src/tui/entry.c
