"""Twin of v_cross_module: the helper in the other module quotes what it runs."""
# expect: none
# features: propagation-cross-module-helper, sanitizer-shlex-quote
