from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.post("/api/settings")
@csrf.exempt  # expect: csrf-disabled
def save_settings():
    return {"saved": request.form.get("theme")}
