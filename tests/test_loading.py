"""Learner folders load however they are laid out, from their current source."""
import os
import shutil

from support import SOLUTIONS, grade


def test_folder_with_a_dash_and_no_init(tmp_path):
    folder = tmp_path / "my-work"
    shutil.copytree(SOLUTIONS, folder)
    os.remove(folder / "__init__.py")
    assert grade(folder, "stage3")["stages"][0]["status"] == "passed"


def test_bare_imports_give_the_same_class(tmp_path):
    """`from value import Value` in one file and `.value` elsewhere must be one class."""
    folder = tmp_path / "bare"
    shutil.copytree(SOLUTIONS, folder)
    for name in ("value.py", "neuron.py"):
        path = folder / name
        path.write_text(path.read_text().replace("from .", "from "))
    assert grade(folder, "stage3")["stages"][0]["status"] == "passed"


def test_stale_bytecode_is_never_used(tmp_path):
    """A .pyc from an older, broken version must not mask the current source."""
    folder = tmp_path / "fresh"
    shutil.copytree(SOLUTIONS, folder)
    cache = folder / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "derivative.cpython-311.pyc").write_bytes(b"not bytecode at all")
    assert grade(folder, "stage0")["stages"][0]["status"] == "passed"


def test_dot_folders_and_missing_files(tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    shutil.copy(SOLUTIONS + "/derivative.py", folder)
    (folder / ".hidden").mkdir()
    result = grade(folder, "stage0", "stage1")
    statuses = {s["name"]: s["status"] for s in result["stages"]}
    assert statuses == {"stage0": "passed", "stage1": "not started"}
    assert "value.py not found" in result["stages"][1]["checks"][0]["message"]


def test_imports_through_the_folder_name_give_the_same_class(tmp_path):
    """`from exercises.value import Value`, as an IDE writes it from the project root."""
    folder = tmp_path / "exercises"
    shutil.copytree(SOLUTIONS, folder)
    for name in ("neuron.py", "layer.py", "mlp.py", "train.py"):
        path = folder / name
        path.write_text(path.read_text().replace("from .", "from exercises."))
    result = grade(folder, "stage4", "stage5", "stage6", "stage7")
    assert {s["status"] for s in result["stages"]} == {"passed"}


def test_learner_code_cannot_import_the_reference(tmp_path):
    """The grader's own folders are not on the learner's import path: importing
    solutions/ must not earn the reference's credit."""
    folder = tmp_path / "submission"
    shutil.copytree(SOLUTIONS, folder)
    (folder / "neuron.py").write_text("from solutions.neuron import Neuron  # noqa\n")
    neuron = grade(folder, "stage4")["stages"][0]
    assert neuron["status"] == "failed"
    assert "No module named 'solutions'" in neuron["checks"][0]["message"]


def test_learner_code_cannot_import_torch(tmp_path):
    """torch is the judge's; the child running learner code never holds it."""
    folder = tmp_path / "submission"
    shutil.copytree(SOLUTIONS, folder)
    path = folder / "train.py"
    path.write_text("import torch  # noqa\n" + path.read_text())
    train = grade(folder, "stage7")["stages"][0]
    assert train["status"] == "failed"
    assert "build autograd yourself" in train["checks"][0]["message"]
