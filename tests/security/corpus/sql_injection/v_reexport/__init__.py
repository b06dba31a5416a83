"""A helper re-exported by a package __init__ and imported by its absolute name."""
# features: propagation-cross-module-helper, propagation-reexport
from .queries import count_rows

__all__ = ["count_rows"]
