# src/common/kube.mk: see the modules it lists.
