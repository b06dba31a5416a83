"""A loader helper in another module unpickles what the view hands it."""
# features: propagation-cross-module-helper, source-django-body
