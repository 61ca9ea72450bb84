"""What an instructor builds with one command each.

    bundle(out_path)   the Gradescope autograder zip (grader, checks, reference; no self-tests)
    classroom(out_dir) out_dir/.github/workflows/classroom.yml, GitHub Classroom's autograding
    release(out_dir)   the student starter kit: stubs and grader, no answer; with the workflow

Each returns a few lines to print: what was written and what to do next. A usage problem
(an output folder that is not empty, a missing dependency) raises ValueError with a message
for the instructor. Standard library only: the zip and the YAML are written as plain text.
"""
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import zipfile

from .stages import TOTAL_POINTS, course_stages

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".git"}
SKIPPED_SUFFIXES = (".pyc", ".pyo")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # a fixed date: the same files always make the same zip

# What the grader needs to run, in every package.
GRADER_FILES = ("grader.py", "README.md", "pyproject.toml")
GRADER_DIRS = ("kata", "checks")
POLICY = "COURSE_POLICY.md"          # written by the course-policy work; shipped when present
CONSTRAINTS = ".ci/constraints.txt"  # the tested torch pin

TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
DEFAULT_TORCH = "2.13.0"
PINNED = ("numpy", "pytest", "pytest-timeout")  # pinned at the versions installed here
PYTHON_FOR_CLASSROOM = "3.12"
STEP_TIMEOUT_MINUTES = 5  # per stage; the grader's own per-question limit is 5 s
WORKFLOW = os.path.join(".github", "workflows", "classroom.yml")


# ---------------------------------------------------------------------------- what goes where

def files_under(root, folder):
    """Every file below root/folder as a sorted list of '/'-separated relative paths,
    without caches and compiled files."""
    found = []
    for here, dirs, files in os.walk(os.path.join(root, folder)):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in files:
            if not name.endswith(SKIPPED_SUFFIXES):
                path = os.path.relpath(os.path.join(here, name), root)
                found.append(path.replace(os.sep, "/"))
    return sorted(found)


def present(root, paths):
    return [p for p in paths if os.path.isfile(os.path.join(root, p))]


def bundle_members(root=ROOT):
    """The project files in the Gradescope zip, sorted. solutions/ is in (blame isolation
    grades on the reference); tests/ (its alt_impl/ and mutants are answers too),
    exercises/ and tools/ are not."""
    files = list(GRADER_FILES) + present(root, [POLICY, CONSTRAINTS])
    for folder in GRADER_DIRS + ("solutions",):
        files += files_under(root, folder)
    return sorted(files)


def kit_members(root=ROOT):
    """The project files in the student kit, sorted: never solutions/, tests/ or tools/."""
    files = list(GRADER_FILES) + present(root, [POLICY, ".gitignore"])
    if readme_needs_constraints(root):
        files.append(CONSTRAINTS)
    for folder in GRADER_DIRS + ("exercises",):
        files += files_under(root, folder)
    return sorted(files)


def readme_needs_constraints(root):
    with open(os.path.join(root, "README.md"), encoding="utf-8") as readme:
        return CONSTRAINTS in readme.read()


def hashed_files(root=ROOT):
    """The grader's own code, whose sha256 the Classroom workflow records: a learner who edits
    these changes the grade, not their code."""
    files = ["grader.py"] + present(root, [POLICY])
    for folder in GRADER_DIRS:
        files += [p for p in files_under(root, folder) if p.endswith(".py")]
    return sorted(files)


def sha256_of(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


# ---------------------------------------------------------------------------- versions

def torch_pin(root=ROOT):
    """The torch version CI tests with (.ci/constraints.txt), e.g. '2.13.0'."""
    path = os.path.join(root, CONSTRAINTS)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.split("#")[0].strip()
                if line.startswith("torch=="):
                    return line[len("torch=="):].split("+")[0]
    return DEFAULT_TORCH


def installed_versions():
    """{'numpy': '2.4.6', ...} for the dependencies pinned beside torch: the versions this
    machine runs the grader with."""
    versions = {}
    for name in PINNED:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            raise ValueError(f"{name} is not installed here, so its version cannot be pinned: "
                             "install the grader's dependencies first "
                             "(python -m pip install -e .)") from None
    return versions


def pip_pins(versions):
    return " ".join(f"{name}=={versions[name]}" for name in PINNED)


# ---------------------------------------------------------------------------- Gradescope

def template(name, values=None):
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as handle:
        text = handle.read()
    for key, value in (values or {}).items():
        text = text.replace(f"@{key}@", value)
    return text


def minimum_python(versions):
    """The oldest Python every pinned package supports, from their Requires-Python
    ('>=3.11' for numpy 2.4): the image must have at least that, or setup.sh says so."""
    oldest = (3, 10)  # the grader's own minimum
    for name in PINNED:
        needs = importlib.metadata.metadata(name).get("Requires-Python") or ""
        match = re.search(r">=\s*(\d+)\.(\d+)", needs)
        if match:
            oldest = max(oldest, (int(match.group(1)), int(match.group(2))))
    return oldest


def base_image(python):
    """A Gradescope Ubuntu image whose python3 is at least `python`."""
    return "Ubuntu 22.04 (or newer)" if python <= (3, 10) else "Ubuntu 24.04 (or newer)"


def setup_script(root=ROOT):
    versions = installed_versions()
    python = minimum_python(versions)
    return template("setup.sh", {
        "PYTHON_MAJOR": str(python[0]), "PYTHON_MINOR": str(python[1]),
        "BASE_IMAGE": base_image(python),
        "TORCH_INDEX": TORCH_CPU_INDEX, "TORCH_VERSION": torch_pin(root),
        "NUMPY_VERSION": versions["numpy"], "PYTEST_VERSION": versions["pytest"],
        "PYTEST_TIMEOUT_VERSION": versions["pytest-timeout"]})


def zip_entry(zf, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.create_system = 3  # Unix, so that unzip honours the mode bits below
    info.external_attr = ((0o100755 if executable else 0o100644) & 0xFFFF) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def bundle(out_path, root=ROOT):
    """Write the Gradescope autograder zip to out_path; return what to print."""
    if not os.path.isdir(os.path.join(root, "solutions")):
        raise ValueError("there is no solutions/ folder here: build the autograder from the "
                         "full project, not from a student kit")
    out_path = os.path.abspath(out_path)
    if os.path.isdir(out_path):
        raise ValueError(f"'{out_path}' is a folder: give the zip file to write, e.g. "
                         "--out autograder.zip")
    scripts = {"setup.sh": setup_script(root), "run_autograder": template("run_autograder")}
    members = bundle_members(root)
    folder = os.path.dirname(out_path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    partial = out_path + ".partial"  # never leave half a zip under the real name
    try:
        with zipfile.ZipFile(partial, "w") as zf:
            for name, text in scripts.items():
                zip_entry(zf, name, text.encode("utf-8"), executable=True)
            for member in members:
                with open(os.path.join(root, member), "rb") as handle:
                    zip_entry(zf, member, handle.read())
        os.replace(partial, out_path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    size = os.path.getsize(out_path)
    return "\n".join([
        f"Wrote {out_path} ({len(members) + 2} files, {size // 1024 + 1} KB): the grader, its "
        "checks and the reference solutions, with setup.sh and run_autograder.",
        "Next: in Gradescope, create a Programming Assignment, open Configure Autograder, "
        f"choose an {base_image(minimum_python(installed_versions()))} base image and "
        "upload this zip.",
        "Students submit their exercises/*.py files (or the whole kit); test the autograder "
        f"first by submitting the files of solutions/ ({TOTAL_POINTS} points) and of "
        "exercises/ (0).",
        f"It grades {len(course_stages())} stages for {TOTAL_POINTS} points "
        "(kata/stages.py). Do not share the zip: it holds the answers.",
    ])


# ---------------------------------------------------------------------------- GitHub Classroom

def quoted(text):
    """A YAML double-quoted scalar (a JSON string is one, for this ASCII text)."""
    return json.dumps(text)


def hash_check_script(root):
    """The shell of the workflow step that compares the student's grader files with the
    release's: sha256sum -c for changed or removed files, a listing for added ones."""
    files = hashed_files(root)
    sums = [f"{sha256_of(os.path.join(root, p))}  {p}" for p in files]
    return [
        "export LC_ALL=C  # one sort order for comm",
        'sums="$(mktemp)"; known="$(mktemp)"; now="$(mktemp)"',
        'trap \'rm -f "$sums" "$known" "$now"\' EXIT',
        "cat > \"$sums\" <<'SHA256'",
        *sums,
        "SHA256",
        "cat > \"$known\" <<'FILES'",
        *files,
        "FILES",
        "changed=\"$(sha256sum -c --quiet \"$sums\" 2>/dev/null | sed -n 's/: FAILED.*$//p' "
        "| paste -sd ' ')\"",
        "{ ls grader.py " + " ".join(present(root, [POLICY])) + " 2>/dev/null; "
        "find " + " ".join(GRADER_DIRS) + " -name '*.py' -not -path '*/__pycache__/*' "
        "2>/dev/null; } | sort > \"$now\"",
        "added=\"$(comm -13 \"$known\" \"$now\" | paste -sd ' ')\"",
        'if [ -n "$changed$added" ]; then',
        '  echo "::error title=Grader files changed::The grader is not the one this workflow '
        'was made with (changed or removed: ${changed:-none}; added: ${added:-none}). The '
        'grades below are not official: restore those files from the starter code (this '
        'repository\'s first commit)."',
        "  exit 1",
        "fi",
        f"echo \"The grader's files are those of the release ({len(files)} files checked).\"",
    ]


def step_id(stage):
    return stage.name  # also the reporter's environment variable: STAGE3_RESULTS


def workflow_text(root=ROOT, grader_root=None):
    """The GitHub Classroom autograding workflow, as YAML text. The recorded hashes are those
    of the grader files in grader_root (default: root), e.g. of a kit just written."""
    versions = installed_versions()
    lines = [
        "# GitHub Classroom autograding for the autograd kata: one graded step per stage.",
        "# Made by `python grader.py classroom` (or `release`); make it again after changing",
        "# the grader or the points in kata/stages.py.",
        "#",
        "# Classroom grading runs in the student's own repository, on code the student",
        "# controls: a student can edit the grader or this file. It is for honest classes.",
        "# For a grade you must be able to trust, use the Gradescope bundle",
        "# (`python grader.py bundle`), which runs the grader out of the student's reach.",
        "name: Autograding Tests",
        "\"on\": [push, repository_dispatch, workflow_dispatch]",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
        "      - name: Checkout code",
        "        uses: actions/checkout@v4",
        "      - name: Set up Python",
        "        uses: actions/setup-python@v5",
        "        with:",
        f"          python-version: {quoted(PYTHON_FOR_CLASSROOM)}",
        "      - name: Install the grader's dependencies (CPU-only PyTorch)",
        "        run: |",
        f"          python -m pip install --disable-pip-version-check --index-url "
        f"{TORCH_CPU_INDEX} torch=={torch_pin(root)}",
        f"          python -m pip install --disable-pip-version-check {pip_pins(versions)} -e .",
        "      - name: Check that the grader is the release's",
        "        # Reports, never stops: the grading steps below run either way.",
        "        continue-on-error: true",
        "        run: |",
        *("          " + line for line in hash_check_script(grader_root or root)),
    ]
    for stage in course_stages():
        lines += [
            f"      - name: {quoted(f'{stage.name}: {stage.title}')}",
            f"        id: {step_id(stage)}",
            "        uses: classroom-resources/autograding-command-grader@v1",
            "        with:",
            f"          test-name: {quoted(f'{stage.name}: {stage.title}')}",
            f"          command: python grader.py {stage.name} --course",
            f"          timeout: {STEP_TIMEOUT_MINUTES}",
            f"          max-score: {stage.points}",
        ]
    lines += [
        "      - name: Autograding Reporter",
        "        uses: classroom-resources/autograding-grading-reporter@v1",
        "        env:",
        *(f"          {step_id(s).upper()}_RESULTS: "
          f"\"${{{{steps.{step_id(s)}.outputs.result}}}}\"" for s in course_stages()),
        "        with:",
        f"          runners: {','.join(step_id(s) for s in course_stages())}",
    ]
    return "\n".join(lines) + "\n"


def classroom(out_dir, root=ROOT, grader_root=None):
    """Write out_dir/.github/workflows/classroom.yml; return what to print."""
    path = os.path.join(out_dir, WORKFLOW)
    text = workflow_text(root, grader_root)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return "\n".join([
        f"Wrote {path}: {len(course_stages())} graded steps, {TOTAL_POINTS} points "
        "(python grader.py stageN --course each), and a step that flags changed grader files.",
        "Next: commit it in the template repository of your GitHub Classroom assignment "
        "(python grader.py release --out DIR makes the whole repository), and add no "
        "autograding tests in the assignment's settings: Classroom would replace this file.",
        "Classroom grading runs in the student's own repository: it is for honest classes; "
        "use the Gradescope bundle for grades that must resist cheating.",
    ])


# ---------------------------------------------------------------------------- student kit

def release(out_dir, root=ROOT):
    """Write the student starter kit to out_dir (which must be new or empty), with the
    Classroom workflow; return what to print."""
    if os.path.exists(out_dir) and (not os.path.isdir(out_dir) or os.listdir(out_dir)):
        raise ValueError(f"'{out_dir}' already exists and is not empty: choose a new folder "
                         "(the kit is written from scratch, never over other files)")
    members = kit_members(root)
    for member in members:
        target = os.path.join(out_dir, *member.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(root, member), target)
    shutil.copymode(os.path.join(root, "grader.py"), os.path.join(out_dir, "grader.py"))
    # Hash the kit's own copies: they are what the student gets, even if the project's
    # files change meanwhile.
    workflow_note = classroom(out_dir, root, grader_root=out_dir)
    return "\n".join([
        f"Wrote the student starter kit to {out_dir} ({len(members)} files): the stubs in "
        "exercises/ and the grader; no solutions/, no tests/.",
        workflow_note.splitlines()[0],
        "Next: make it a Git repository (cd there; git init; git add .; git commit) and push "
        "it as the template repository of a GitHub Classroom assignment, or hand it out as is.",
    ])
