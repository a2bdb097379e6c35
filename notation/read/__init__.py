"""Other views -> tree: NumPy source through Python's ``ast``, LaTeX through the grammar."""
