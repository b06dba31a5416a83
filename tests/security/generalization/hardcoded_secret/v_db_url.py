from sqlalchemy import create_engine

engine = create_engine("postgresql://app:Wint3rIsC0ming@db.internal:5432/shop")  # expect: hardcoded-secret
