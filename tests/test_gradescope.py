"""`grade gradescope` writes Gradescope's autograder bundle; its `run_autograder` grades the
notebook in `<root>/submission/` into `<root>/results/results.json`.

results.json is checked against the fields Gradescope's "Autograder Specifications" document
(gradescope-autograders.readthedocs.io/en/latest/specs/). The end-to-end tests unpack a real
bundle into a fake root and run its `run_autograder` as Gradescope would, with the root
overridden (GRADER_AUTOGRADER_ROOT) and this environment's Python instead of the one setup.sh
would install (GRADER_PYTHON): nothing is pip-installed.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader import cli
from grader.gradescope.autograder import find_submission, run_autograder
from grader.gradescope.bundle import SEED_LIMIT, BundleOptions, build_bundle
from grader.gradescope.config import CONFIG_NAME, BundleConfig, ConfigError
from grader.resources import ASSIGNMENTS_PATH_ENV

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SECRET_SEED = 918_273_645  # a number no result would show by chance

# Gradescope's documented results.json fields, top level and per test, and their values.
TOP_FIELDS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
TEST_FIELDS = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def check_results(results: dict[str, Any]) -> None:
    """Fail unless `results` is a results.json Gradescope documents: known fields only, a
    score (here always at the top), typed values from the documented sets."""
    assert set(results) <= TOP_FIELDS, set(results) - TOP_FIELDS
    assert isinstance(results["score"], int | float) and not isinstance(results["score"], bool)
    assert isinstance(results.get("execution_time", 0), int | float)
    assert isinstance(results.get("output", ""), str)
    assert results.get("output_format", "simple_format") in FORMATS
    assert results["stdout_visibility"] == "hidden"  # the log is for instructors only
    for test in results["tests"]:
        assert set(test) <= TEST_FIELDS, set(test) - TEST_FIELDS
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["score"], int | float) and isinstance(test["max_score"], int | float)
        assert test.get("status", "passed") in {"passed", "failed"}
        assert test.get("visibility", "visible") in VISIBILITIES
        assert test.get("output_format", "text") in FORMATS
    if results["tests"]:
        assert sum(t["score"] for t in results["tests"]) == pytest.approx(results["score"])


@pytest.fixture(autouse=True)
def own_assignment_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without instructor folders and leaves none behind (the CLI option and
    the autograder add theirs to the environment)."""
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, "")
    monkeypatch.delenv("GRADER_HIDDEN_SEED", raising=False)


def fake_wheel(tmp_path: Path) -> Path:
    wheel = tmp_path / "grader-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: never installed here
    return wheel


def bundle(tmp_path: Path, *arguments: str) -> tuple[zipfile.ZipFile, str]:
    """Run `grade gradescope` with `arguments`; the zip and what the command printed."""
    output = tmp_path / "out" / "autograder.zip"
    result = CliRunner().invoke(cli.main, ["gradescope", *arguments, "-o", str(output)])
    assert result.exit_code == 0, result.output
    return zipfile.ZipFile(output), result.output


def config_of(archive: zipfile.ZipFile) -> BundleConfig:
    return BundleConfig.from_json(archive.read(CONFIG_NAME).decode())


def mode_of(info: zipfile.ZipInfo) -> int:
    return info.external_attr >> 16


def own_course(tmp_path: Path) -> Path:
    """An instructor's course folder in the bundled layout: `my_perceptron` (a copy of the
    perceptron assignment under an id no installed grader knows) with its reference beside."""
    course = tmp_path / "course"
    folder = course / "assignments" / "my_perceptron"
    shutil.copytree(ROOT / "assignments" / "perceptron", folder)
    spec = folder / "assignment.toml"
    spec.write_text(spec.read_text().replace('id = "perceptron"', 'id = "my_perceptron"'))
    (folder / "__pycache__").mkdir(exist_ok=True)
    (folder / "__pycache__" / "cases.cpython-311.pyc").write_bytes(b"")
    (course / "reference_solutions").mkdir()
    shutil.copy(
        ROOT / "reference_solutions" / "perceptron.py",
        course / "reference_solutions" / "my_perceptron.py",
    )
    return course / "assignments"


# --- the bundle -----------------------------------------------------------------------------


def test_the_bundle_has_gradescopes_two_scripts_at_its_root(tmp_path: Path) -> None:
    """Are setup.sh and run_autograder at the root of the zip (not in a folder), executable
    regular files, with the wheel, the requirement that installs it and the configuration?"""
    archive, printed = bundle(
        tmp_path, "logistic_regression", "--wheel", str(fake_wheel(tmp_path)), "--hidden-seed", "7"
    )
    names = set(archive.namelist())
    assert {"setup.sh", "run_autograder", CONFIG_NAME, "requirements.txt"} <= names
    assert "wheels/grader-0.1.0-py3-none-any.whl" in names
    for script in ("setup.sh", "run_autograder"):
        mode = mode_of(archive.getinfo(script))
        assert stat.S_ISREG(mode) and mode & 0o777 == 0o755
        assert archive.read(script).startswith(b"#!/usr/bin/env bash\n")
    requirements = archive.read("requirements.txt").decode().splitlines()
    assert requirements == ["./wheels/grader-0.1.0-py3-none-any.whl"]  # no Keras for numpy
    config = config_of(archive)
    assert (config.assignment, config.hidden_seed, config.train) == ("logistic_regression", 7, True)
    assert not any(name.startswith("logistic_regression/") for name in names)  # in the wheel
    assert "wrote" in printed and "12 points" in printed


def test_a_keras_bundle_installs_the_keras_extra(tmp_path: Path) -> None:
    """Does a Keras assignment's bundle install `grader[keras]` from its wheel, and keep
    `--no-train` in its configuration?"""
    archive, _ = bundle(tmp_path, "keras_cnn", "--wheel", str(fake_wheel(tmp_path)), "--no-train")
    assert archive.read("requirements.txt").decode().strip() == (
        "./wheels/grader-0.1.0-py3-none-any.whl[keras]"
    )
    assert config_of(archive).train is False


def test_without_a_seed_a_fresh_one_is_drawn_and_never_printed(tmp_path: Path) -> None:
    """With no seed given, does each bundle get its own random hidden seed, stored in its
    configuration but not printed?"""
    wheel = str(fake_wheel(tmp_path))
    first, printed = bundle(tmp_path / "a", "perceptron", "--wheel", wheel)
    second, _ = bundle(tmp_path / "b", "perceptron", "--wheel", wheel)
    seeds = [config_of(first).hidden_seed, config_of(second).hidden_seed]
    assert all(0 <= seed < SEED_LIMIT for seed in seeds) and seeds[0] != seeds[1]
    assert str(seeds[0]) not in printed and "drawn for this bundle" in printed


def test_the_seed_comes_from_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is GRADER_HIDDEN_SEED the bundle's seed when no option names one?"""
    monkeypatch.setenv("GRADER_HIDDEN_SEED", str(SECRET_SEED))
    archive, printed = bundle(tmp_path, "perceptron", "--wheel", str(fake_wheel(tmp_path)))
    assert config_of(archive).hidden_seed == SECRET_SEED
    assert str(SECRET_SEED) not in printed


def test_a_pinned_requirement_replaces_the_wheel(tmp_path: Path) -> None:
    """With --requirement, is that line what setup.sh installs, and no wheel shipped?"""
    spec = "grader[keras] @ git+https://example.org/grader@v0.1.0"
    archive, _ = bundle(tmp_path, "perceptron", "--requirement", spec)
    assert archive.read("requirements.txt").decode().strip() == spec
    assert not [name for name in archive.namelist() if name.startswith("wheels/")]


def test_an_instructors_own_assignment_travels_in_the_bundle(tmp_path: Path) -> None:
    """Does an assignment from --assignments-dir go in as `<id>/`, its reference from
    `reference_solutions/` as `<id>/reference.py`, without caches?"""
    assignments = own_course(tmp_path)
    archive, printed = bundle(
        tmp_path,
        "--assignments-dir",
        str(assignments),
        "my_perceptron",
        "--wheel",
        str(fake_wheel(tmp_path)),
    )
    names = set(archive.namelist())
    assert {"my_perceptron/assignment.toml", "my_perceptron/cases.py"} <= names
    reference = (ROOT / "reference_solutions" / "perceptron.py").read_bytes()
    assert archive.read("my_perceptron/reference.py") == reference
    assert not [name for name in names if "__pycache__" in name]
    assert "your assignment folder is inside" in printed


def test_course_data_travels_in_the_bundle(tmp_path: Path) -> None:
    """With --data, are the course's data files (not hidden ones) in the bundle's `data/`, and
    does the configuration point the autograder there?"""
    data = tmp_path / "course_data"
    (data / "sets").mkdir(parents=True)
    (data / "train_catvnoncat.h5").write_bytes(b"h5")
    (data / "sets" / "test_catvnoncat.h5").write_bytes(b"h5")
    (data / ".DS_Store").write_bytes(b"")
    archive, _ = bundle(
        tmp_path, "logistic_regression", "--wheel", str(fake_wheel(tmp_path)), "--data", str(data)
    )
    shipped = sorted(name for name in archive.namelist() if name.startswith("data/"))
    assert shipped == ["data/sets/test_catvnoncat.h5", "data/train_catvnoncat.h5"]
    assert config_of(archive).data == "data"


def test_the_scripts_are_valid_bash() -> None:
    """Do setup.sh and run_autograder parse as bash?"""
    for script in ("setup.sh", "run_autograder"):
        path = ROOT / "grader" / "gradescope" / script
        assert subprocess.run(["bash", "-n", str(path)], check=False).returncode == 0


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["no_such_assignment", "--requirement", "grader"], "unknown assignment"),
        (["perceptron", "--requirement", "grader", "--wheel", "setup.py"], "not both"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, arguments: list[str], words: str) -> None:
    """Are an unknown assignment and contradictory options usage errors (exit 2), with no zip
    written?"""
    (tmp_path / "setup.py").write_text("")
    arguments = [str(tmp_path / a) if a == "setup.py" else a for a in arguments]
    output = tmp_path / "autograder.zip"
    result = CliRunner().invoke(cli.main, ["gradescope", *arguments, "-o", str(output)])
    assert result.exit_code == 2 and words in result.output
    assert not output.exists()


# --- the autograder, without a sandbox ------------------------------------------------------


def gradescope_root(tmp_path: Path, config: str | None) -> Path:
    """A fake /autograder: source/ with a configuration (if any), an empty submission/."""
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    if config is not None:
        (root / "source" / CONFIG_NAME).write_text(config)
    return root


def written(root: Path) -> dict[str, Any]:
    results: dict[str, Any] = json.loads((root / "results" / "results.json").read_text())
    check_results(results)
    return results


@pytest.mark.parametrize(
    "config",
    [
        BundleConfig("no_such_assignment", SECRET_SEED).to_json(),
        '{"format": 1, "assignment": "perceptron"}',  # no seed
        "not json",
        None,  # no configuration at all
    ],
    ids=["unknown-assignment", "no-seed", "not-json", "missing"],
)
def test_a_fault_of_the_autograder_still_writes_results(tmp_path: Path, config: str | None) -> None:
    """When the bundle itself is broken, is a results.json still written, scoring 0 and
    telling the student it is not their fault (the cause only in the log)?"""
    root = gradescope_root(tmp_path, config)
    run_autograder(root)
    results = written(root)
    assert results["score"] == 0 and results["tests"] == []
    assert "not your fault" in results["output"]
    assert str(SECRET_SEED) not in json.dumps(results)


def test_nothing_to_grade_scores_zero_with_the_reason(tmp_path: Path) -> None:
    """A submission without a notebook (a PDF): is it scored 0 with the reason the student can
    act on, as the student's result rather than a grader fault?"""
    root = gradescope_root(tmp_path, BundleConfig("perceptron", SECRET_SEED).to_json())
    (root / "submission" / "report.pdf").write_bytes(b"%PDF")
    run_autograder(root)
    results = written(root)
    assert results["score"] == 0 and results["tests"] == []
    assert "could not be graded" in results["output"] and "report.pdf" in results["output"]
    assert "not your fault" not in results["output"]


def test_the_file_is_chosen_as_grade_batch_chooses(tmp_path: Path) -> None:
    """Among several files, is the one named like the assignment graded (then notebooks before
    scripts), links and hidden files never?"""
    folder = tmp_path / "submission"
    (folder / "old").mkdir(parents=True)
    for name in ("scratch.ipynb", "old/perceptron.py", "hw.py", ".hidden.ipynb"):
        (folder / name).write_text("{}")
    (folder / "perceptron.ipynb").symlink_to(folder / "scratch.ipynb")
    choice = find_submission(folder, "perceptron")
    assert choice.chosen is not None and choice.chosen.parts == ("old", "perceptron.py")
    assert "named like the assignment" in choice.note
    assert find_submission(tmp_path / "missing", "perceptron").chosen is None


def test_a_grader_that_cannot_start_still_leaves_results(tmp_path: Path) -> None:
    """If the grader's Python cannot even run, does the run_autograder script write a
    results.json scoring 0 that says the autograder failed?"""
    root = gradescope_root(tmp_path, None)
    script = ROOT / "grader" / "gradescope" / "run_autograder"
    env = {**os.environ, "GRADER_AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": "/bin/false"}
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    results = written(root)
    assert results["score"] == 0 and "not your fault" in results["output"]


def test_config_round_trip_and_refusals() -> None:
    """Does a configuration read back as written, and is one with a wrong field refused?"""
    config = BundleConfig("perceptron", 3, train=False, data="data", grader_version="0.1.0")
    assert BundleConfig.from_json(config.to_json()) == config
    wrong = json.loads(config.to_json()) | {"hidden_seed": "3"}
    with pytest.raises(ConfigError, match="hidden_seed"):
        BundleConfig.from_json(json.dumps(wrong))


# --- end to end: a real bundle, its run_autograder, the sandbox -----------------------------


@pytest.fixture(scope="module")
def real_bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Bundles built as an instructor would: the wheel built from this checkout."""
    tmp = tmp_path_factory.mktemp("bundles")
    saved = os.environ.get(ASSIGNMENTS_PATH_ENV)
    try:
        os.environ[ASSIGNMENTS_PATH_ENV] = str(own_course(tmp))
        options = BundleOptions(hidden_seed=SECRET_SEED)
        made = {
            name: build_bundle(name, tmp / f"{name}.zip", options).path
            for name in ("logistic_regression", "my_perceptron")
        }
    finally:
        os.environ[ASSIGNMENTS_PATH_ENV] = saved or ""
    return made


def run_on_gradescope(bundle_zip: Path, notebook: Path, tmp_path: Path) -> tuple[dict, str]:
    """Unpack the bundle as Gradescope does, put the notebook in submission/, run
    /autograder/run_autograder; results.json and the log."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle_zip) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)  # Gradescope keeps the zip's mode; zipfile does not
    (root / "submission").mkdir()
    shutil.copy(notebook, root / "submission" / notebook.name)
    env = {
        **os.environ,
        "GRADER_AUTOGRADER_ROOT": str(root),
        "GRADER_PYTHON": sys.executable,  # this environment instead of setup.sh's
        "PYTHONPATH": str(ROOT),
        ASSIGNMENTS_PATH_ENV: "",
    }
    env.pop("GRADER_HIDDEN_SEED", None)
    done = subprocess.run(
        [str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return written(root), done.stdout + done.stderr


@pytest.mark.slow
def test_the_wheel_in_the_bundle_carries_the_scripts(real_bundle: dict[str, Path]) -> None:
    """Does the shipped wheel carry the autograder and its scripts (so a grader installed from
    it can make bundles too)?"""
    with zipfile.ZipFile(real_bundle["logistic_regression"]) as archive:
        (wheel_name,) = [n for n in archive.namelist() if n.startswith("wheels/")]
        with archive.open(wheel_name) as handle, zipfile.ZipFile(handle) as wheel:
            names = set(wheel.namelist())
    for expected in ("setup.sh", "run_autograder", "autograder.py", "__main__.py"):
        assert f"grader/gradescope/{expected}" in names


@pytest.mark.slow
@pytest.mark.parametrize(
    ("notebook", "score", "failed"),
    [
        ("logistic_regression_correct.ipynb", 12, []),
        ("logistic_regression_flawed.ipynb", 6, ["propagate", "predict", "model"]),
    ],
)
def test_run_autograder_grades_the_examples(
    real_bundle: dict[str, Path], tmp_path: Path, notebook: str, score: int, failed: list[str]
) -> None:
    """Does the bundle's run_autograder grade the correct and the flawed example into a
    results.json of Gradescope's format with their scores (12 and 6 of 12), without the
    hidden seed anywhere a student could read it?"""
    results, log = run_on_gradescope(
        real_bundle["logistic_regression"], EXAMPLES / notebook, tmp_path
    )
    assert results["score"] == score
    assert sum(test["max_score"] for test in results["tests"]) == 12
    failing = [t["name"] for t in results["tests"] if t["status"] == "failed"]
    assert len(failing) == len(failed)
    assert all(any(test.startswith(f"{name}(") for test in failing) for name in failed), failing
    assert all(t["output_format"] == "md" for t in results["tests"])
    assert str(SECRET_SEED) not in json.dumps(results) and str(SECRET_SEED) not in log
    assert f"graded submission/{notebook}: {score} / 12" in log


@pytest.mark.slow
def test_run_autograder_grades_an_instructors_own_assignment(
    real_bundle: dict[str, Path], tmp_path: Path
) -> None:
    """Is an assignment only the bundle has (from --assignments-dir) graded on Gradescope?"""
    notebook = ROOT / "tests" / "scenarios" / "perceptron" / "correct-vectorized.ipynb"
    results, log = run_on_gradescope(real_bundle["my_perceptron"], notebook, tmp_path)
    assert results["score"] == 12 and len(results["tests"]) == 2, log
    assert "assignment my_perceptron" in log
