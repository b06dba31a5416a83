import cgi

form = cgi.FieldStorage()
expression = form.getvalue("expr", "0")
print("Content-Type: text/plain\n")
print(eval(expression))  # expect: code-injection
