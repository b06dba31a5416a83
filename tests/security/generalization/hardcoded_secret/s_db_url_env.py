# expect: none
import os

from sqlalchemy import create_engine

engine = create_engine(os.environ.get("DATABASE_URL", "postgresql://localhost/shop"))
TEMPLATE = "postgresql://{user}:{password}@{host}/{name}"
