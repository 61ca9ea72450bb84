"""Course mode: an upload becomes a folder of plain .py files, whatever the upload holds.

Pure file handling: no grader run here (the one end-to-end run is in
test_gradescope_format.py).
"""
import os
import shutil
import stat
import struct
import zipfile

import pytest

from kata import submission
from kata.submission import KATA_FILES, prepare
from support import SOLUTIONS


def solution_files(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name in KATA_FILES:
        shutil.copy(os.path.join(SOLUTIONS, name), folder / name)
    return folder


def zip_of(path, entries):
    """A zip at `path` with {name: text or bytes} entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def solution_entries(prefix=""):
    return {prefix + name: open(os.path.join(SOLUTIONS, name)).read() for name in KATA_FILES}


def tree(root):
    """Everything under root (never following links): path -> (type, size, mtime)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            full = os.path.join(folder, name)
            info = os.lstat(full)
            found[os.path.relpath(full, root)] = (stat.S_IFMT(info.st_mode), info.st_size,
                                                  info.st_mtime_ns)
    return found


def graded(result):
    return sorted(os.listdir(result.folder))


def notes(result):
    return "\n".join(result.notes)


# --- folders ---------------------------------------------------------------------------


def test_files_at_the_top_are_copied_as_they_are(tmp_path):
    upload = solution_files(tmp_path / "upload")
    (upload / "notes.txt").write_text("not code")
    (upload / "helpers.py").write_text("X = 1\n")
    before = tree(upload)
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES + ("helpers.py",))
    assert os.path.basename(result.folder) == "exercises"
    assert result.folder.startswith(str(tmp_path / "work") + os.sep)
    for name in KATA_FILES:
        with open(os.path.join(result.folder, name)) as copy, \
                open(os.path.join(SOLUTIONS, name)) as original:
            assert copy.read() == original.read()
    assert result.notes == []
    assert tree(upload) == before  # the upload is only read


def test_a_sub_folder_is_found_named_and_noted(tmp_path):
    upload = tmp_path / "upload"
    solution_files(upload / "exercises")
    (upload / "README.md").parent.mkdir(exist_ok=True)
    (upload / "README.md").write_text("my kata")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    assert os.path.basename(result.folder) == "exercises"  # from exercises.value import ...
    assert "exercises/" in notes(result)


def test_two_levels_down_like_a_zipped_repository(tmp_path):
    upload = tmp_path / "upload"
    solution_files(upload / "my-kata" / "exercises")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    assert "my-kata/exercises/" in notes(result)


def test_three_levels_down_is_too_deep(tmp_path):
    upload = tmp_path / "upload"
    solution_files(upload / "a" / "b" / "c")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == []
    assert "No .py file of your submission could be graded" in notes(result)


@pytest.mark.parametrize("name, kept", [("my_work", "my_work"), ("my-work", "exercises"),
                                        ("math", "exercises"), ("solutions", "exercises")])
def test_the_copy_keeps_the_folder_name_only_when_it_can_be_imported(tmp_path, name, kept):
    upload = tmp_path / "upload"
    solution_files(upload / name)
    assert os.path.basename(prepare(str(upload), str(tmp_path / "work")).folder) == kept


def test_the_shallowest_folder_with_kata_files_wins(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "value.py").write_text("# mine\n")
    solution_files(upload / "exercises")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == ["value.py"]
    assert "Not found: derivative.py, topo.py" in notes(result)


def test_a_tie_goes_to_the_folder_with_more_kata_files(tmp_path):
    upload = tmp_path / "upload"
    (upload / "aaa").mkdir(parents=True)
    (upload / "aaa" / "value.py").write_text("# an old copy\n")
    solution_files(upload / "zzz")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    assert "zzz/" in notes(result)


def test_mac_hidden_and_cache_folders_are_ignored(tmp_path):
    upload = tmp_path / "upload"
    for junk in ("__MACOSX", ".git", "__pycache__"):
        solution_files(upload / junk)
    solution_files(upload / "work")
    (upload / "work" / "._value.py").write_bytes(b"\x00\x05\x16\x07 AppleDouble")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    assert "work/" in notes(result)


def test_missing_files_stay_missing_with_a_note(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    shutil.copy(os.path.join(SOLUTIONS, "derivative.py"), upload)
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == ["derivative.py"]
    assert "Not found: value.py, topo.py, neuron.py, layer.py, mlp.py, train.py" \
        in notes(result)


def test_an_empty_submission_gives_an_empty_folder_and_a_note(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    result = prepare(str(upload), str(tmp_path / "work"))
    assert os.path.isdir(result.folder) and graded(result) == []
    assert "No .py file of your submission could be graded" in notes(result)


def test_a_missing_submission_is_a_note_not_a_crash(tmp_path):
    result = prepare(str(tmp_path / "nothing here"), str(tmp_path / "work"))
    assert graded(result) == []
    assert "could not be found" in notes(result)


def test_a_single_python_file_is_graded_alone(tmp_path):
    upload = tmp_path / "derivative.py"
    shutil.copy(os.path.join(SOLUTIONS, "derivative.py"), upload)
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == ["derivative.py"]


def test_each_call_gets_a_fresh_folder(tmp_path):
    upload = solution_files(tmp_path / "upload")
    first = prepare(str(upload), str(tmp_path / "work"))
    second = prepare(str(upload), str(tmp_path / "work"))
    assert first.folder != second.folder and graded(first) == graded(second)


# --- hostile folders -------------------------------------------------------------------


def test_a_symlinked_file_is_not_followed(tmp_path):
    upload = solution_files(tmp_path / "upload")
    os.remove(upload / "value.py")
    os.symlink(os.path.join(SOLUTIONS, "value.py"), upload / "value.py")
    os.symlink("../../source/solutions/topo.py", upload / "helper.py")  # dangling
    result = prepare(str(upload), str(tmp_path / "work"))
    assert "value.py" not in graded(result) and "helper.py" not in graded(result)
    assert "value.py is a symbolic link: not graded" in notes(result)
    assert "helper.py is a symbolic link: not graded" in notes(result)
    assert os.path.islink(upload / "value.py")  # left as it was


def test_a_symlinked_folder_is_not_followed(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    os.symlink(SOLUTIONS, upload / "exercises")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == []
    assert "exercises/ is a symbolic link to a folder: not graded" in notes(result)


def test_a_pipe_named_like_a_kata_file_is_skipped_without_hanging(tmp_path):
    upload = solution_files(tmp_path / "upload")
    os.remove(upload / "topo.py")
    os.mkfifo(upload / "topo.py")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert "topo.py" not in graded(result)
    assert "topo.py is not a regular file" in notes(result)


def test_an_oversized_file_is_refused(tmp_path):
    upload = solution_files(tmp_path / "upload")
    (upload / "value.py").write_text("#" * (submission.MAX_PY_SIZE + 1))
    result = prepare(str(upload), str(tmp_path / "work"))
    assert "value.py" not in graded(result)
    assert "value.py is larger than 1 MB: not graded" in notes(result)


def test_a_file_name_python_cannot_import_is_noted(tmp_path):
    upload = solution_files(tmp_path / "upload")
    os.rename(upload / "value.py", upload / "value (1).py")
    (upload / os.fsdecode(b"topo\xff.py")).write_text("x = 1\n")  # not even UTF-8
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(set(KATA_FILES) - {"value.py"})
    assert "value (1).py is not graded" in notes(result)
    assert "topo\\udcff.py is not graded" in notes(result)  # shown escaped, harmless


# --- zips ------------------------------------------------------------------------------


def test_a_zip_file_is_unpacked(tmp_path):
    upload = zip_of(tmp_path / "upload.zip", solution_entries())
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    assert os.path.basename(result.folder) == "exercises"


def test_a_zipped_repository_is_searched_two_levels_down(tmp_path):
    entries = solution_entries("my-kata/exercises/")
    entries.update({"my-kata/README.md": "hi", "__MACOSX/my-kata/exercises/._value.py": "x",
                    "my-kata/exercises/__pycache__/value.cpython-311.pyc": b"\x00"})
    result = prepare(str(zip_of(tmp_path / "repo.zip", entries)), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    assert "my-kata/exercises/" in notes(result)
    assert os.path.basename(result.folder) == "exercises"


def test_a_folder_holding_only_a_zip_unpacks_it(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    zip_of(upload / "kata.zip", solution_entries("exercises/"))
    before = tree(upload)
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    assert "Unpacked kata.zip" in notes(result)
    assert tree(upload) == before


def test_a_zip_beside_python_files_is_left_alone(tmp_path):
    upload = solution_files(tmp_path / "upload")
    zip_of(upload / "old.zip", {"value.py": "broken ="})
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == sorted(KATA_FILES)
    with open(os.path.join(result.folder, "value.py")) as f:
        assert "broken" not in f.read()


def test_two_zips_and_no_python_files_grade_nothing(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    zip_of(upload / "a.zip", solution_entries())
    zip_of(upload / "b.zip", solution_entries())
    assert graded(prepare(str(upload), str(tmp_path / "work"))) == []


def test_zip_names_that_climb_out_are_never_written(tmp_path):
    entries = solution_entries()
    entries.update({"../escaped.py": "x = 1", "/tmp/absolute_kata_escape.py": "x = 1",
                    "exercises/../../escaped_too.py": "x = 1", "..\\windows.py": "x = 1"})
    upload = zip_of(tmp_path / "upload.zip", entries)
    work = tmp_path / "deep" / "work"
    result = prepare(str(upload), str(work))
    assert graded(result) == sorted(KATA_FILES)
    assert "unsafe name" in notes(result)
    everything = tree(tmp_path)
    assert not any("escape" in path or "windows" in path for path in everything)
    assert not os.path.exists("/tmp/absolute_kata_escape.py")


def test_a_symlink_entry_in_a_zip_is_not_unpacked(tmp_path):
    upload = tmp_path / "upload.zip"
    entries = solution_entries()
    del entries["value.py"], entries["topo.py"]
    zip_of(upload, entries)
    link = zipfile.ZipInfo("value.py")
    link.create_system = 3  # unix: the high bits of external_attr are the file mode
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    device = zipfile.ZipInfo("topo.py")
    device.create_system = 3
    device.external_attr = (stat.S_IFCHR | 0o644) << 16
    with zipfile.ZipFile(upload, "a") as archive:
        archive.writestr(link, "../../source/solutions/value.py")
        archive.writestr(device, "")
    result = prepare(str(upload), str(tmp_path / "work"))
    assert "value.py" not in graded(result) and "topo.py" not in graded(result)
    assert "value.py in the zip is a symbolic link: not graded" in notes(result)
    assert "topo.py in the zip is not a regular file" in notes(result)


def test_an_oversized_file_in_a_zip_is_refused(tmp_path):
    entries = solution_entries()
    entries["value.py"] = "#" * (submission.MAX_PY_SIZE + 1)
    result = prepare(str(zip_of(tmp_path / "upload.zip", entries)), str(tmp_path / "work"))
    assert "value.py" not in graded(result)
    assert "value.py is larger than 1 MB: not graded" in notes(result)


def test_a_zip_bomb_is_a_note(tmp_path):
    entries = solution_entries()
    entries["data.bin"] = b"\0" * (submission.MAX_ZIP_TOTAL + 1)  # deflates to ~50 KB
    upload = zip_of(tmp_path / "bomb.zip", entries)
    assert os.path.getsize(upload) < 1024 * 1024
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == []
    assert "more than 50 MB: not unpacked" in notes(result)


def test_a_zip_whose_headers_lie_about_sizes_is_refused(tmp_path):
    """Headers that call a 2 MB file 10 bytes long: reading stops there and the CRC fails."""
    upload = zip_of(tmp_path / "liar.zip", {"value.py": "#" * 2 * submission.MAX_PY_SIZE})
    data = bytearray(upload.read_bytes())
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 10)    # uncompressed size, local header
    struct.pack_into("<I", data, central + 24, 10)  # uncompressed size, central directory
    upload.write_bytes(bytes(data))
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == []
    assert "could not be unpacked" in notes(result)


def test_a_zip_with_too_many_entries_is_refused(tmp_path):
    entries = {f"junk/{i}.txt": "" for i in range(submission.MAX_ZIP_ENTRIES)}
    entries.update(solution_entries())
    result = prepare(str(zip_of(tmp_path / "many.zip", entries)), str(tmp_path / "work"))
    assert graded(result) == []
    assert "more than 2000 files" in notes(result)


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"",
                                     "truncated"])
def test_a_corrupt_zip_is_a_note(tmp_path, content):
    upload = tmp_path / "upload.zip"
    if content == "truncated":
        zip_of(upload, solution_entries())
        content = upload.read_bytes()[:-100]
    upload.write_bytes(content)
    result = prepare(str(upload), str(tmp_path / "work"))
    assert graded(result) == []
    assert "could not be unpacked" in notes(result)
