"""Twin of v_reexport: the table name comes from a fixed mapping."""
# expect: none
# features: propagation-cross-module-helper, propagation-reexport, sanitizer-allowlist
from .queries import count_rows

__all__ = ["count_rows"]
