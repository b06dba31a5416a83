from fastapi import FastAPI

app = FastAPI(debug=True, title="Orders")  # expect: debug-enabled
