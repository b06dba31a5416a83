import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIAZ7QW3RT5YU8IOPLK",  # expect: hardcoded-secret
    aws_secret_access_key=SECRET,
)
