import subprocess


def create_archive(name, folder):
    command = "tar czf /backups/{}.tgz {}".format(name, folder)
    return subprocess.call(command, shell=True)  # expect: command-injection
