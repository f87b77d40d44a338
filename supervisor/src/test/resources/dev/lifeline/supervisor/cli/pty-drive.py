"""Runs a command on a new pseudo-terminal and answers its prompts, as a person at a terminal would.

usage: pty-drive.py SECONDS STEPS.json COMMAND...
STEPS.json: [{"expect": "text on the screen", "send": "typed line"}, ...]; each answer is sent once its text has
appeared after the previous one, followed by Enter (CR, which the terminal turns into a newline). Prints the whole
screen transcript; exits with the command's status, or 124 (after killing it) when a prompt or the end does not come
within SECONDS in all.
"""
import json
import os
import pty
import select
import signal
import sys
import time

seconds, steps_file, command = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
with open(steps_file, encoding="utf-8") as f:
    steps = json.load(f)
deadline = time.monotonic() + seconds

pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

screen = b""
searched_to = 0


def read_some():
    """More of the screen; False at the end (the command closed the terminal)."""
    global screen
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    ready, _, _ = select.select([fd], [], [], min(left, 1.0))
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the other side is gone
        return False
    if not chunk:
        return False
    screen += chunk
    return True


def give_up(why):
    sys.stdout.write(screen.decode("utf-8", "replace"))
    sys.stdout.write("\npty-drive: " + why + "\n")
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.exit(124)


for step in steps:
    want = step["expect"].encode("utf-8")
    while screen.find(want, searched_to) < 0:
        more = read_some()
        if more is None:
            give_up("timed out waiting for " + repr(step["expect"]))
        if more is False:
            give_up("the command ended before " + repr(step["expect"]))
    searched_to = screen.find(want, searched_to) + len(want)
    os.write(fd, step["send"].encode("utf-8") + b"\r")

while True:
    more = read_some()
    if more is None:
        give_up("timed out waiting for the command to end")
    if more is False:
        break
_, status = os.waitpid(pid, 0)
sys.stdout.write(screen.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
