"""Other views -> tree: NumPy source through Python's ``ast``, LaTeX through the grammar."""

# A LaTeX text holding this is a whole document, read by its math (read/latex.py); any
# other text is parsed as it is, so the command line parses it without loading that module.
DOCUMENT_BEGIN = "\\begin{document}"
