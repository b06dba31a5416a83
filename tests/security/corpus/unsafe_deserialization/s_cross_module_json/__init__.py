"""Twin of v_cross_module: the helper in the other module decodes JSON."""
# expect: none
# features: propagation-cross-module-helper, sanitizer-data-only-format
