# expect: none
def product_query(name):
    return "SELECT * FROM product WHERE name = ?"
