# SPDX-License-Identifier: Apache-2.0
# The node agent (agent.h) and the conventions all node parts share.
libkdeck_a_SOURCES += src/cluster/node/agent.h \
	src/cluster/node/layout.h src/cluster/node/layout.c
