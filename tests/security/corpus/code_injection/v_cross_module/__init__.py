"""A rule engine in another module evaluates conditions that come from the request."""
# features: propagation-cross-module-helper, propagation-attributes
