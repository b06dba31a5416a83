import requests

GITHUB_TOKEN = "ghp_R2d9Vb7Kq1Lm3Nx8Zs4Tw6Yu0Ac5Ef2Gh7Jk9"  # expect: hardcoded-secret


def list_repos():
    return requests.get("https://api.github.com/user/repos", headers={"Authorization": f"token {GITHUB_TOKEN}"}, timeout=10)
