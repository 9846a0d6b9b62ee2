"""National-scale data and a load benchmark: `make bench` (see bench/README.md)."""
