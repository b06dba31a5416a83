from flask import Flask

app = Flask(__name__)
app.config.update(
    SECRET_KEY="a9f8e7d6c5b4a3f2e1d0",  # expect: hardcoded-secret
    SQLALCHEMY_DATABASE_URI="sqlite:///app.db",
)
