# src/cluster/store
