"""A storage helper in another module opens whatever key the view passes."""
# features: propagation-cross-module-helper, source-django-get
