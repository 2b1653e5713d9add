# src/common/data.mk: see the modules it lists.
