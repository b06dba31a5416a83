from hashlib import sha1


def reset_token(user_id, secret):
    return sha1(f"{user_id}:{secret}".encode()).hexdigest()  # expect: weak-hash
