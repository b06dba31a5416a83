from jinja2 import Environment, select_autoescape

env = Environment(autoescape=select_autoescape())


def render_greeting(body):
    return env.from_string(body).render(site="Shop")  # expect: template-injection
