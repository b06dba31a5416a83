"""Twin of v_blueprint_service: the service joins with werkzeug's safe_join."""
# expect: none
# features: source-route-parameter, propagation-cross-module-helper, sanitizer-basename
