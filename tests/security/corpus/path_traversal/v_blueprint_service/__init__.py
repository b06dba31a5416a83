"""A blueprint route hands a path variable to a file service that opens it."""
# features: source-route-parameter, propagation-cross-module-helper, propagation-attributes
