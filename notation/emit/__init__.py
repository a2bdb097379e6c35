"""One module per view; each prints the tree and nothing else."""
