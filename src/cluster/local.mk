# src/cluster: each part keeps its own fragment (store.mk, server.mk,
# api.mk, rbac.mk, pb.mk); this one holds what they share.
libkdeck_a_SOURCES += src/cluster/store.h src/cluster/http.h \
	src/cluster/api.h src/cluster/authz.h src/cluster/pb.h

