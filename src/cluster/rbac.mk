# src/cluster/rbac
