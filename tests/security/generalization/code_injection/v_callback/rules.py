def apply_rule(expression, values):
    return eval(expression, {}, values)  # expect: code-injection


def run_with(callback, argument):
    return callback(argument, {})
