"""Twin of v_cross_module: the rule's condition is a constant; only the record comes from the request."""
# expect: none
# features: propagation-cross-module-helper, propagation-attributes
