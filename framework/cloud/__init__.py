"""AWS: the SAM template, deploy, remote runs, the HTTP trigger."""
