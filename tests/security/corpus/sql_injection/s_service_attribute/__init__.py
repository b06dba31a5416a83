"""Twin of v_service_attribute: the service validates the customer id as an int."""
# expect: none
# features: propagation-attributes, propagation-cross-module-helper, sanitizer-numeric-cast
