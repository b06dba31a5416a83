"""A repository class in another module runs the query it is given a filter for."""
# features: propagation-cross-module-helper, source-fastapi-parameter
