"""Teaching code for the executable backpropagation book.

Examples are columns: ``X`` has shape (n_in, m); a layer's ``W`` is (n_out, n_in) and ``b`` is (n_out, 1).
Every number a chapter prints is computed by a function in this package.
"""
