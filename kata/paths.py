"""Where the grader's own folders are: in the repository, or inside the installed package.

Run from a checkout, the project's folders sit beside kata/ (checks/, solutions/,
exercises/). `pip install` of the project (no -e) puts checks/ and solutions/ inside the
installed kata package instead (pyproject.toml maps them there, so they never take a
top-level name such as `checks` in site-packages); the learner's files and what the
grader writes (kata-output/) are then in the folder the command is run from.
"""
import os

KATA = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(KATA)  # the repository, or site-packages when installed
INSTALLED = not os.path.isdir(os.path.join(ROOT, "checks"))
HOME = os.getcwd() if INSTALLED else ROOT  # where exercises/ and kata-output/ are
CHECKS = os.path.join(KATA if INSTALLED else ROOT, "checks")
REFERENCE = os.path.join(KATA if INSTALLED else ROOT, "solutions")
STUBS = os.path.join(KATA, "stubs")
