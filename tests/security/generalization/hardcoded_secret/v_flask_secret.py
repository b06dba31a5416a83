from flask import Flask

app = Flask(__name__)
app.secret_key = "s3cr3t-k3y-for-sessions"  # expect: hardcoded-secret
