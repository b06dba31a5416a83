"""Twin of v_cross_module: the view keeps only the base name before calling the helper."""
# expect: none
# features: propagation-cross-module-helper, sanitizer-basename
