"""A view calls a service held in an attribute; the service's method runs the query."""
# features: propagation-attributes, propagation-cross-module-helper
