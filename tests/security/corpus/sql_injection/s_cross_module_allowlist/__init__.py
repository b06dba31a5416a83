"""Twin of v_cross_module: the column name is checked against an allow-list before the call."""
# expect: none
# features: propagation-cross-module-helper, sanitizer-allowlist, precision-early-return
