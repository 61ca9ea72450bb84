"""Regression (stage 7): leave a process behind, ignore SIGTERM, and never finish importing."""
import os
import signal
import sys

signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.fork() == 0:
    os.setsid()
    os.execv(sys.executable, [sys.executable, "-c",
                              "import time; time.sleep(30)  # MARKER-PLACEHOLDER"])
while True:
    pass
