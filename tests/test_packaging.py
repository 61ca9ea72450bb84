"""What an instructor builds: the Gradescope zip, the Classroom workflow, the student kit.

Few grader runs (each costs an `import torch`): two through run_autograder, two through the
workflow's stage commands, one in the kit. The rest are pure files and shell.
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest
import yaml

from kata import packaging
from kata.stages import STAGES, TOTAL_POINTS
from support import ROOT, SOLUTIONS, at_once, copy_of

COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"


def grader_help():
    done = subprocess.run([sys.executable, os.path.join(ROOT, "grader.py"), "--help"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    return done.stdout


HELP = grader_help()
needs_course_mode = pytest.mark.skipif(
    "--gradescope" not in HELP or "--course" not in HELP,
    reason="grader.py has no --gradescope/--course options yet (course mode is being built)")


def results_problems(results):
    """kata.gradescope's validator when it exists, else the format's bare minimum."""
    try:
        from kata.gradescope import validate_results
    except ImportError:
        problems = [] if isinstance(results, dict) else ["not an object"]
        if "score" not in results and "tests" not in results:
            problems.append("neither score nor tests")
        return problems
    return validate_results(results)


def score_of(results):
    if "score" in results:
        return results["score"]
    return sum(test.get("score", 0) for test in results["tests"])


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def zip_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    text = packaging.bundle(str(path))
    assert str(path) in text and "Gradescope" in text
    return path


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "kit"
    text = packaging.release(str(out))
    assert str(out) in text
    return out


@pytest.fixture(scope="module")
def workflow(kit):
    with open(kit / packaging.WORKFLOW, encoding="utf-8") as handle:
        text = handle.read()
    return text, yaml.safe_load(text)


def steps_of(workflow):
    return workflow[1]["jobs"]["run-autograding-tests"]["steps"]


def hash_step(workflow):
    return next(s for s in steps_of(workflow) if "grader is the release" in s["name"])


@pytest.fixture
def autograder(zip_path, tmp_path):
    """A Gradescope tree in a temporary folder: source/ unpacked from the zip, run_autograder
    beside it, an empty submission/ and results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def run_autograder(root, python=sys.executable):
    done = subprocess.run(["bash", str(root / "run_autograder")], capture_output=True,
                          text=True, timeout=600,
                          env={**os.environ, "KATA_AUTOGRADER_ROOT": str(root),
                               "KATA_PYTHON": str(python)})
    assert done.returncode == 0, done.stderr
    with open(root / "results" / "results.json", encoding="utf-8") as handle:
        results = json.load(handle)  # valid JSON, whatever happened
    assert results_problems(results) == []
    return results, done


# ---------------------------------------------------------------------------- the zip

def test_bundle_holds_the_grader_and_the_reference_but_no_answers_of_the_self_tests(zip_path):
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
    names = [info.filename for info in infos]
    assert names[:2] == ["setup.sh", "run_autograder"]
    assert names[2:] == sorted(names[2:]), "deterministic order"
    for required in ("grader.py", "README.md", "pyproject.toml", "kata/stages.py",
                     "kata/templates/run_autograder", "checks/pytest.ini",
                     "checks/test_stage7_train.py", "solutions/value.py"):
        assert required in names
    assert ("COURSE_POLICY.md" in names) == os.path.isfile(os.path.join(ROOT, "COURSE_POLICY.md"))
    for name in names:
        assert not name.startswith(("tests/", "exercises/", "tools/", ".git/")), name
        assert "__pycache__" not in name and not name.endswith(".pyc"), name
    modes = {info.filename: info.external_attr >> 16 for info in infos}
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_ISREG(modes[script]) and modes[script] & 0o111 == 0o111, script
    assert modes["grader.py"] & 0o777 == 0o644


def test_bundle_is_the_same_bytes_every_time(zip_path, tmp_path):
    again = tmp_path / "again.zip"
    packaging.bundle(str(again))
    assert again.read_bytes() == zip_path.read_bytes()


def test_setup_script_pins_the_versions_and_fences_the_sources(zip_path):
    with zipfile.ZipFile(zip_path) as zf:
        setup = zf.read("setup.sh").decode()
        runner = zf.read("run_autograder").decode()
    assert "@" + "TORCH_VERSION@" not in setup, "every placeholder is filled"
    assert '"torch==2.13.0"' in setup and "https://download.pytorch.org/whl/cpu" in setup
    for name, version in packaging.installed_versions().items():
        assert f'"{name}=={version}"' in setup
    assert 'chmod -R go-rwx "$SOURCE" "$VENV/lib"' in setup
    assert "go-rwx" in runner
    for script in (setup, runner):
        subprocess.run(["bash", "-n"], input=script, text=True, check=True)


def test_bundle_refuses_a_tree_without_solutions(kit, tmp_path):
    with pytest.raises(ValueError, match="solutions/"):
        packaging.bundle(str(tmp_path / "x.zip"), root=str(kit))
    assert not (tmp_path / "x.zip").exists()


# ---------------------------------------------------------------------------- run_autograder

@needs_course_mode
def test_run_autograder_gives_the_reference_every_point_and_the_stubs_none(autograder):
    shutil.rmtree(autograder / "submission")
    copy_of(SOLUTIONS, autograder / "submission")  # the files uploaded one by one
    results, _ = run_autograder(autograder)
    assert score_of(results) == TOTAL_POINTS, json.dumps(results)[:2000]

    # A submission of the whole kit (GitHub, or a zip of the folder) keeps exercises/.
    shutil.rmtree(autograder / "submission")
    copy_of(os.path.join(ROOT, "exercises"), autograder / "submission" / "exercises")
    results, _ = run_autograder(autograder)
    assert score_of(results) == 0, json.dumps(results)[:2000]
    assert "tell your instructor" not in json.dumps(results)


def fake_python(folder, body):
    path = folder / "fake_python"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


def test_run_autograder_leaves_a_results_file_when_the_grader_cannot_run(autograder):
    stale = autograder / "results" / "results.json"
    stale.write_text(json.dumps({"score": 100}))  # an earlier run's file must not count
    results, done = run_autograder(autograder, python="/bin/false")
    assert score_of(results) == 0
    assert "tell your instructor" in results["output"]
    assert all(test["score"] == 0 for test in results.get("tests", []))


def test_fallback_results_stay_valid_json_whatever_the_grader_said(autograder, tmp_path):
    # Quotes, a backslash, a tab, UTF-8 and a control character: none may break the JSON.
    noisy = fake_python(tmp_path, "\n".join([
        """printf 'Traceback "quoted" back\\\\slash\\ttab \\303\\251\\001\\n' >&2""",
        "printf 'ImportError: no module named torch\\n' >&2",
        "exit 3"]))
    results, done = run_autograder(autograder, python=noisy)
    assert score_of(results) == 0 and results["tests"] == []
    staff = results["extra_data"]["staff_output"]  # stored for staff, not shown to students
    assert "status 3" in staff and "ImportError: no module named torch" in staff
    assert "Traceback 'quoted' back/slash tab" in staff
    assert "ImportError" not in results["output"]
    assert results["stdout_visibility"] == "hidden"
    assert "ImportError" in done.stdout, "the grader's errors are in run_autograder's output"


def test_fallback_when_the_grader_exits_0_without_a_results_file(autograder, tmp_path):
    silent = fake_python(tmp_path, "exit 0")
    results, _ = run_autograder(autograder, python=silent)
    assert score_of(results) == 0 and "tell your instructor" in results["output"]
    assert "wrote no results file" in results["extra_data"]["staff_output"]


# ---------------------------------------------------------------------------- the workflow

def test_workflow_has_a_step_per_stage_with_its_points_and_the_reporter_reads_them(workflow):
    text, _ = workflow
    head = text.split("\nname:")[0]
    assert "student's own repository" in head and "honest" in head
    steps = steps_of(workflow)
    graded = [s for s in steps if s.get("uses") == COMMAND_GRADER]
    assert [s["id"] for s in graded] == [s.name for s in STAGES]
    for step, stage in zip(graded, STAGES):
        inputs = step["with"]
        assert set(inputs) <= {"test-name", "setup-command", "command", "timeout", "max-score"}
        assert inputs["command"] == f"python grader.py {stage.name} --course"
        assert inputs["max-score"] == stage.points
        assert 0 < inputs["timeout"] <= 60
        assert stage.name in inputs["test-name"]
    assert sum(s["with"]["max-score"] for s in graded) == TOTAL_POINTS
    reporter = steps[-1]
    assert reporter["uses"] == REPORTER
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graded]
    for step in graded:
        assert reporter["env"][f"{step['id'].upper()}_RESULTS"] == \
            f"${{{{steps.{step['id']}.outputs.result}}}}"
    install = next(s for s in steps if "Install" in s.get("name", ""))["run"]
    assert "--index-url https://download.pytorch.org/whl/cpu torch==2.13.0" in install
    assert "-e ." in install
    assert hash_step(workflow)["continue-on-error"] is True
    assert steps.index(hash_step(workflow)) < steps.index(graded[0])


def run_step_command(kit_dir, command):
    """A step's command as the command grader runs it: a shell in the repository with a
    small environment (PATH and HOME) where `python` is this test's Python."""
    bin_dir = kit_dir.parent / "bin"
    if not bin_dir.exists():
        bin_dir.mkdir()
        fake_python(bin_dir, f'exec "{sys.executable}" "$@"').rename(bin_dir / "python")
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "HOME": os.environ["HOME"]}
    return subprocess.run(["bash", "-c", command], cwd=kit_dir, capture_output=True,
                          text=True, env=env, timeout=600)


@needs_course_mode
def test_each_step_command_passes_on_the_reference_and_fails_on_the_stubs(kit, workflow,
                                                                          tmp_path):
    step = next(s for s in steps_of(workflow) if s.get("id") == STAGES[-1].name)
    command = step["with"]["command"]
    solved = copy_of(kit, tmp_path / "solved" / "kit")
    for name in os.listdir(solved / "exercises"):
        shutil.copyfile(os.path.join(SOLUTIONS, name), solved / "exercises" / name)
    stubs = copy_of(kit, tmp_path / "stubs" / "kit")
    on_solved, on_stubs = at_once(lambda: run_step_command(solved, command),
                                  lambda: run_step_command(stubs, command))
    assert on_solved.returncode == 0, on_solved.stdout + on_solved.stderr
    assert on_stubs.returncode == 1, on_stubs.stdout + on_stubs.stderr


def test_hash_step_passes_on_the_kit_and_names_changed_removed_and_added_files(kit, workflow,
                                                                              tmp_path):
    script = hash_step(workflow)["run"]
    untouched = copy_of(kit, tmp_path / "untouched")
    done = subprocess.run(["bash", "-c", script], cwd=untouched, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "::error" not in done.stdout, done.stdout + done.stderr

    changed = copy_of(kit, tmp_path / "changed")
    with open(changed / "kata" / "report.py", "a", encoding="utf-8") as handle:
        handle.write("\n# always 100\n")
    os.remove(changed / "checks" / "misconceptions.py")
    (changed / "checks" / "conftest_extra.py").write_text("")
    done = subprocess.run(["bash", "-c", script], cwd=changed, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    error = next(line for line in done.stdout.splitlines() if line.startswith("::error"))
    for name in ("kata/report.py", "checks/misconceptions.py", "checks/conftest_extra.py"):
        assert name in error
    assert "exercises/" not in error, "the learner's own files may change"


# ---------------------------------------------------------------------------- the kit

def test_release_kit_has_the_stubs_and_grader_and_no_answer(kit):
    top = set(os.listdir(kit))
    assert {"exercises", "kata", "checks", "grader.py", "README.md", "pyproject.toml",
            ".gitignore", ".github"} <= top
    assert not top & {"solutions", "tests", "tools"}
    assert ("COURSE_POLICY.md" in top) == os.path.isfile(os.path.join(ROOT, "COURSE_POLICY.md"))
    for here, dirs, files in os.walk(kit):
        assert "__pycache__" not in dirs, here
    for name in os.listdir(os.path.join(ROOT, "exercises")):
        if name.endswith(".py"):
            assert (kit / "exercises" / name).read_bytes() == \
                open(os.path.join(ROOT, "exercises", name), "rb").read()


def test_release_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        packaging.release(str(tmp_path / "kit"))
    assert os.listdir(tmp_path / "kit") == ["notes.txt"]


def test_grading_the_kit_reports_every_stage_not_started(kit):
    done = subprocess.run([sys.executable, "grader.py", "--json"], cwd=kit, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert {s["name"]: s["status"] for s in result["stages"]} == \
        {s.name: "not started" for s in STAGES}
