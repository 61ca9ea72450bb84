"""Blame isolation: grade one stage's own file on the reference code of every earlier stage.

If the learner's neuron.py passes stage 4 on the reference Value, their Neuron is right and
stage 4 fails only because of their Value. The learner's status is still their own code,
end to end; this only says where to look.
"""
import os
import shutil
import tempfile

from .stages import ALL_STAGES, BY_NAME

from .paths import REFERENCE
from .places import SOURCES_FILE


def available():
    """A course may ship without solutions/: then there is nothing to substitute."""
    return os.path.isfile(os.path.join(REFERENCE, "value.py"))


def hybrid(target, stage_name):
    """A temporary folder: the reference files, with the learner's own file of this stage."""
    own = BY_NAME[stage_name].own_file
    # Named like the target, so `from exercises.value import ...` finds the reference there.
    folder = os.path.join(tempfile.mkdtemp(prefix="kata-hybrid-"),
                          os.path.basename(os.path.abspath(target)))
    os.mkdir(folder)
    for name in os.listdir(REFERENCE):
        if name.endswith(".py"):
            shutil.copyfile(os.path.join(REFERENCE, name), os.path.join(folder, name))
    learner_file = os.path.join(target, own)
    if os.path.isfile(learner_file):
        shutil.copyfile(learner_file, os.path.join(folder, own))
        sources = os.path.join(target, SOURCES_FILE)
        if os.path.isfile(sources):  # taken out of a notebook: its cells and lines
            shutil.copyfile(sources, os.path.join(folder, SOURCES_FILE))
    return folder


def discard(folder):
    """Remove a folder made by hybrid(), with the temporary folder around it."""
    shutil.rmtree(os.path.dirname(folder), ignore_errors=True)


def earliest_failing_dependency(stage_name, statuses):
    """The first earlier stage this one builds on that does not pass, or None."""
    for number in BY_NAME[stage_name].depends:
        name = ALL_STAGES[number].name
        if statuses.get(name, "passed") != "passed":
            return name
    return None
