libkdeck_a_SOURCES += src/cluster/entry.c
