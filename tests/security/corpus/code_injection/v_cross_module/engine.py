class Rule:
    def __init__(self, condition):
        self.condition = condition

    def matches(self, record):
        return eval(self.condition, {}, record)  # expect: code-injection
