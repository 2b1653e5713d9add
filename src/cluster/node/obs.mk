# SPDX-License-Identifier: Apache-2.0
# Probes (probe.h), pods/log and the metrics.k8s.io API.
libkdeck_a_SOURCES += src/cluster/node/probe.h
