#!/usr/bin/env bash
# Gradescope runs this once, as root, in its Ubuntu image when the autograder zip is
# uploaded. The zip is unpacked in /autograder/source (this folder).
# Made by `python grader.py bundle`: the versions below are those the grader was tested with.
set -euo pipefail

SOURCE=/autograder/source
VENV=/autograder/venv

# Python @PYTHON_MAJOR@.@PYTHON_MINOR@ or newer (what the pinned packages below need) with venv
# (Gradescope's images have python3 but not always venv).
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi
if ! python3 -c "import sys; sys.exit(sys.version_info < (@PYTHON_MAJOR@, @PYTHON_MINOR@))"; then
    echo "setup.sh: the grader needs Python @PYTHON_MAJOR@.@PYTHON_MINOR@ or newer; this image has $(python3 --version 2>&1)." >&2
    echo "setup.sh: choose a newer base image (@BASE_IMAGE@) in the autograder settings." >&2
    exit 1
fi

python3 -m venv "$VENV"
# The CPU-only build of PyTorch from PyTorch's own index: the default one is a multi-GB CUDA
# build that a grader without a GPU does not need.
"$VENV/bin/python" -m pip install --no-cache-dir --disable-pip-version-check \
    --index-url @TORCH_INDEX@ "torch==@TORCH_VERSION@"
"$VENV/bin/python" -m pip install --no-cache-dir --disable-pip-version-check \
    "numpy==@NUMPY_VERSION@" "pytest==@PYTEST_VERSION@" "pytest-timeout==@PYTEST_TIMEOUT_VERSION@"
"$VENV/bin/python" -c "import torch, numpy, pytest, pytest_timeout"  # fail the upload, not a student

# The sandbox runs learner code under another user; file permissions are one of its fences:
# that user must not read the reference solutions, the checks or the grader's packages.
chmod -R go-rwx "$SOURCE" "$VENV/lib"
