from mako.template import Template


def render_greeting(text, **context):
    return Template(text).render(**context)  # expect: template-injection
