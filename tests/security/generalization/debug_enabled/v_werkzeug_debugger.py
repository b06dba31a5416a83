from werkzeug.debug import DebuggedApplication
from werkzeug.serving import run_simple

from myapp import create_app

application = DebuggedApplication(create_app(), evalex=True)  # expect: debug-enabled

if __name__ == "__main__":
    run_simple("0.0.0.0", 8000, application)
