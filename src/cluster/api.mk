# src/cluster/api
