# src/cluster/pb
