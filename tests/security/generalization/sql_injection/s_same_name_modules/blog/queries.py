def product_query(name):
    return "SELECT * FROM post WHERE slug = '" + name + "'"
