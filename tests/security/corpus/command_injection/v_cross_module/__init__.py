"""A view passes request data to a helper in another module, which runs it in a shell."""
# features: propagation-cross-module-helper
