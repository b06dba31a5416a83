"""Twin of v_env_augmented: the variable is overwritten with a constant before use."""
# expect: none
# features: precision-overwritten
import os


def open_editor():
    command = os.environ.get("EDITOR", "vi")
    print("your editor:", command)
    command = "vi"
    command += " notes.txt"
    os.system(command)
