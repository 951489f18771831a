"""The `openness` command as a user gets it: built into a wheel, installed in a fresh virtual environment, run
from a directory outside the checkout. Each rough edge of the command line has a test here, so that a
packaging mistake (a module or data file missing from the wheel) shows as well as a wrong behaviour.

The dependencies are this test environment's (made visible to the new environment by a .pth file); the
project itself comes only from the wheel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.test_records_name_agreement import write as write_record
from tests.test_records_parsing import lol_xml, yaml_bomb

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "records-broken"
EXPECTED = json.loads((ROOT / "tests" / "data" / "records-broken.expected.json").read_text(encoding="utf-8"))
COMMANDS = ("serve", "query", "classify", "validate", "load", "import", "link", "export", "coverage")


def _dependency_dirs() -> list[str]:
    """The directories this environment imports third-party packages from.

    They may hold the project too (CI installs it with ``pip install .``): the fresh venv's own
    site-packages comes first on its path, so the wheel's copy wins (the fixture checks it).
    """
    return [entry for entry in sys.path
            if Path(entry).name in ("site-packages", "dist-packages") and Path(entry).is_dir()]


@pytest.fixture(scope="module")
def openness(tmp_path_factory) -> Path:
    """The ``openness`` executable of a fresh venv holding the project's wheel."""
    tmp = tmp_path_factory.mktemp("installed")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp / "dist")], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (tmp / "dist").glob("ai_openness_kg-*.whl")
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "test-deps.pth").write_text("\n".join(_dependency_dirs()) + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--ignore-installed", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-2000:]
    where = subprocess.run([python, "-c", "import kg; print(kg.__file__)"], cwd=tmp, capture_output=True,
                           text=True, env=_env()).stdout
    assert where.startswith(str(env_dir)), f"kg came from {where}, not from the wheel"
    return env_dir / "bin" / "openness"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OPENNESS_EXTERNAL")}
    env.update(extra)
    return env


def run(openness: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(openness), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=_env(**env))


def test_broken_records_give_one_clear_violation_each(openness, tmp_path):
    shutil.copytree(BROKEN, tmp_path / "broken")
    proc = run(openness, "validate", "--format", "json", "broken", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    found: dict[str, list] = {}
    for result in json.loads(proc.stdout)["results"]:
        if result["severity"] == "Violation":
            found.setdefault(Path(result["file"]).name, []).append(result)
    assert set(found) == set(EXPECTED)
    for name, (path, fragment, line) in EXPECTED.items():
        (only,) = found[name]
        assert (only["path"], fragment in only["message"]) == (path, True), (name, only)
        if line is not None:
            assert f"(line {line})" in only["message"] or only["row"] == line, (name, only)


def test_text_report_names_file_record_line_field_and_expectation(openness, tmp_path):
    shutil.copy(BROKEN / "misspelt-availability-in-list.yaml", tmp_path / "r.yaml")
    proc = run(openness, "validate", "r.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[:2] == [
        "r.yaml: misspelt-availability-in-list",
        "  violation artifacts.training_code[0].availabilty: unknown field 'availabilty'; did you mean "
        "'availability'? (line 9)",
    ]


VALUE_MISTAKES = """\
models:
  - id: a
    name: A
    developer: D
    source:
      - https://example.org/a
      - not-a-url
    huggingface: mystery
    artifacts:
      weights:
        - {availability: public, license: Apache-3.0, source: [https://example.org/w]}
        - availability: gated
          license: MIT
          url: ftp://x
      training_code: {availability: maybe}
  - id: b
    name: B
    date: 2024-13
"""


def test_shape_results_in_yaml_name_the_line(openness, tmp_path):
    """Values the shapes check (not only the schema's findings) are located at their YAML line, list items too."""
    (tmp_path / "two.yaml").write_text(VALUE_MISTAKES)
    proc = run(openness, "validate", "two.yaml", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "two.yaml: a" and lines[6] == "two.yaml: b", proc.stdout
    assert [(line.split()[1].rstrip(":"), line.rsplit("(line ", 1)[-1].rstrip(")")) for line in lines[1:6]] == [
        ("huggingface", "8"), ("source", "7"), ("training_code", "15"), ("weights", "14"), ("weights", "11")]
    assert [line.rsplit("(line ", 1)[-1] for line in lines[7:10]] == ["18)", "16)", "16)"], proc.stdout
    assert "'ftp://x' is not an absolute http(s) URL (line 14)" in lines[4]


@pytest.mark.parametrize("document, message", [
    ('{"models": "x"}', "doc.json: models: expected a list of records, found the text 'x'"),
    ("[1, 2]", "doc.json: record 1: expected a record (a mapping), found the number 1"),
])
def test_a_file_without_records_is_one_line_and_exit_2(openness, tmp_path, document, message):
    (tmp_path / "doc.json").write_text(document)
    proc = run(openness, "validate", "doc.json", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (2, f"openness validate: error: {message}\n")


def test_a_directory_argument_validates_the_record_files_in_it(openness, tmp_path):
    (tmp_path / "records" / "more").mkdir(parents=True)
    (tmp_path / "records" / "a.yaml").write_text("id: a\nname: A\ndeveloper: D\nsource: https://example.org/a\n")
    (tmp_path / "records" / "more" / "b.csv").write_text("id,name,developer,source\nb,B,D,https://example.org/b\n")
    (tmp_path / "records" / "README.txt").write_text("not a record")
    proc = run(openness, "validate", "records", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "2 records in 2 files: 0 violations, 0 warnings in 0 records; conforms"
    (tmp_path / "empty").mkdir()
    proc = run(openness, "validate", "empty", cwd=tmp_path)
    assert proc.returncode == 2 and "empty: a directory with no record files" in proc.stderr


@pytest.mark.parametrize("command", ["classify", "export"])
def test_records_with_structural_mistakes_are_refused_not_acted_on(openness, tmp_path, command):
    """A misspelt key would drop its claim without a word: classify and export name each mistake and do nothing."""
    for name in ("misspelt-availability-in-list.yaml", "unknown-column.csv", "name-number.json", "artifacts-list.yaml"):
        shutil.copy(BROKEN / name, tmp_path / name)
    proc = run(openness, command, "misspelt-availability-in-list.yaml", "unknown-column.csv", "name-number.json",
               "artifacts-list.yaml", "-o", "out.txt", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    prefix = f"openness {command}: error: "
    assert proc.stderr.splitlines() == [prefix + line for line in (
        "misspelt-availability-in-list.yaml:9: misspelt-availability-in-list: artifacts.training_code[0].availabilty: "
        "unknown field 'availabilty'; did you mean 'availability'?",
        "unknown-column.csv:1 (column weigths): column 'weigths' names no field of the CSV form (its cells would be "
        "ignored); did you mean 'weights'?",
        "name-number.json: name-number: name: expected a text, found the number 42",
        "artifacts-list.yaml:6: artifacts-list: artifacts: expected a mapping from artifact slug to claims, "
        "found a list",
        f"4 structural mistakes (a misspelt key or column, or a value of the wrong type, would drop what it says); "
        f"nothing was {dict(classify='classified', export='exported')[command]}; "
        "'openness validate' reports them with the rest",
    )]
    assert not (tmp_path / "out.txt").exists()


def test_values_the_classifier_can_read_are_classified_and_named(openness, tmp_path):
    """A bad value (not a bad structure) is classified; the reasons say what was found, validate reports it."""
    (tmp_path / "m.yaml").write_text("id: m\nname: M\ndeveloper: D\nsource: https://example.org/m\n"
                                     "artifacts:\n  weights: {availability: maybe}\n")
    proc = run(openness, "classify", "--explain", "m.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "unclassified: the availability of the weights is maybe" in proc.stdout


BOMBS = {
    "bomb.yaml": (yaml_bomb(), "YAML aliases expand"),
    "deep.json": ("[" * 200_000 + "]" * 200_000, "nested deeper than 100 levels"),
    "bomb.rdf": (lol_xml(), "document type declaration"),
    "prefix.ttl": ("@prefix p: <http://ex.org/" + "x" * 100_000 + "#> .\n" + "p:a p:b p:c .\n" * 2000,
                   "the parsed terms exceed"),
}


@pytest.mark.parametrize("command", ["validate", "classify", "load"])
def test_input_bombs_exit_2_with_one_line(openness, tmp_path, command):
    for name, (content, message) in BOMBS.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        extra = ["--store", str(tmp_path / "store")] if command == "load" else []
        proc = subprocess.Popen([str(openness), command, name, *extra], cwd=tmp_path, env=_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, (name, err)
        assert err.count("\n") == 1 and err.startswith(f"openness {command}: error: {name}") and message in err, err
        assert "Traceback" not in err and out == ""
        assert not (tmp_path / "store").exists(), "nothing is written"


def test_bombs_stay_in_bounded_memory(openness, tmp_path):
    """Peak memory of the refusing process (the bombs once took 2.2 GB)."""
    for name, (content, _) in BOMBS.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    script = ("import resource, subprocess, sys\n"
              "for name in sys.argv[2:]:\n"
              "    subprocess.run([sys.argv[1], 'validate', name], capture_output=True)\n"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(openness), *BOMBS], cwd=tmp_path, env=_env(),
                          capture_output=True, text=True, timeout=300)
    peak_kib = int(proc.stdout.strip())
    assert peak_kib < 400 * 1024, f"peak {peak_kib} KiB"


def test_empty_and_invisible_names_are_refused_alike(openness, tmp_path):
    paths = []
    for fmt in ("ttl", "json", "yaml", "csv"):
        (tmp_path / fmt).mkdir()
        paths.append(str(write_record(tmp_path / fmt, fmt, "developer", "\u200b", record_id=f"m-{fmt}")))
    proc = run(openness, "validate", "--format", "json", *paths, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout
    about_developer = [(Path(r["file"]).parent.name, r["message"]) for r in json.loads(proc.stdout)["results"]
                       if r["message"].startswith("developer:")]
    assert sorted(fmt for fmt, _ in about_developer) == ["csv", "json", "ttl", "yaml"]
    lines = {fmt: re.search(r" \(line (\d+)\)$", message) for fmt, message in about_developer}
    assert [fmt for fmt, found in sorted(lines.items()) if found] == ["yaml"], "YAML results name their line"
    assert len({re.sub(r" \(line \d+\)$", "", message) for _, message in about_developer}) == 1


def _as_a_terminal_foreground_job() -> None:
    """Give the server SIGINT's default disposition, as an interactive shell does for a foreground job.

    A shell without job control starts background commands with SIGINT ignored (POSIX), and the ignore is
    inherited through exec: a suite launched that way would start a server that rightly ignores Ctrl-C.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_server_and_its_workers_quietly(openness, tmp_path):
    # stderr goes to a file, not a pipe: a pipe nobody reads until the server exits can fill and block it
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([str(openness), "serve", "--port", "0", "--workers", "2"], cwd=tmp_path,
                                env=_env(), stderr=err, text=True, start_new_session=True,
                                preexec_fn=_as_a_terminal_foreground_job)
    try:
        deadline = time.monotonic() + 120
        while not (found := re.search(r"openness serve: http://[^ ]+:(\d+)/", log.read_text())):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        port = found.group(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=60) as answer:
            assert answer.status == 200
        workers = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert workers, "the query workers run as child processes"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running 60 s after Ctrl-C; stderr:\n{log.read_text()[-4000:]}") from None
        assert code == 0, log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    rest = log.read_text().split("\n", 1)[1]
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
    assert rest.endswith("openness serve: stopped\n"), rest  # waitress may log queue depth before it
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "the workers stopped too"


def test_link_says_where_it_looked_and_what_it_compared(openness, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    proc = run(openness, "link", cwd=tmp_path, HOME=str(home), XDG_DATA_HOME="")
    assert proc.returncode == 2
    assert f"no registry data: {home}/.local/share/openness/external (the default folder)" in proc.stderr
    assert "--external DIR" in proc.stderr and "OPENNESS_EXTERNAL" in proc.stderr
    (tmp_path / "ext" / "mot" / "models").mkdir(parents=True)
    proc = run(openness, "link", "--external", "ext", "-o", "links.tsv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"compared \d+ models \(the bundled KG\) with 0 Model Openness Tool entries \(ext/mot/models\)",
                     proc.stderr), proc.stderr
    data = home / ".local" / "share" / "openness" / "external" / "mot" / "models"
    data.mkdir(parents=True)
    proc = run(openness, "link", "-o", "links.tsv", cwd=tmp_path, HOME=str(home), XDG_DATA_HOME="")
    assert proc.returncode == 0 and f"Model Openness Tool entries ({data})" in proc.stderr, proc.stderr


def test_coverage_does_what_the_readme_says(openness, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`openness coverage` prints the coverage tables of the bundled KG" in readme
    proc = run(openness, "coverage", "-o", "coverage.md", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert (tmp_path / "coverage.md").read_text().startswith("# Coverage of the bundled knowledge graph")


def test_load_reports_each_replaced_model_and_merges_on_request(openness, tmp_path):
    record = tmp_path / "llama.yaml"
    record.write_text("id: llama-3.1-8b\nname: Llama 3.1 8B\ndeveloper: Meta\nsource: [https://example.org/mine]\n"
                      "artifacts:\n  weights: {availability: public, license: llama3.1, "
                      "source: [https://example.org/mine]}\n")
    proc = run(openness, "load", "llama.yaml", "--store", "store", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"openness load: replaced llama-3\.1-8b: its stored record \(\d+ statements\) gave way",
                     proc.stderr), proc.stderr
    proc = run(openness, "load", "llama.yaml", "--store", "merged", "--merge", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "openness load: merged llama-3.1-8b with its stored record (1 conflict)" in proc.stderr
    assert "conflict: llama-3.1-8b weights: gated per" in proc.stderr
    query = ("SELECT (COUNT(?r) AS ?n) WHERE { <https://w3id.org/ai-openness/model/llama-3.1-8b> "
             "<https://w3id.org/ai-openness/ontology#hasRelease> ?r }")
    count = run(openness, "query", "--store", "merged", "--format", "csv", query, cwd=tmp_path).stdout.split()[-1]
    assert int(count) > 2, "the stored claims stay beside the new one"


def test_load_refuses_records_with_violations_naming_file_record_line_and_field(openness, tmp_path):
    (tmp_path / "two.yaml").write_text(VALUE_MISTAKES)
    proc = run(openness, "load", "two.yaml", "--store", "store", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[0] == ("two.yaml: a: violation: huggingface: 'mystery' is not a Hub repo id; use owner/name, "
                        "as in meta-llama/Llama-3.1-8B (line 8)"), proc.stderr
    assert lines[-2:] == ["two.yaml: b: warning: source: the record gives no source; add the URL(s) that back it "
                          "(line 16)", "openness load: 7 violation(s); nothing was loaded"]
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640)])
@pytest.mark.parametrize("args", [("export", "--format", "nt"), ("validate", "m.yaml"), ("classify", "m.yaml")])
def test_written_files_get_the_users_umask(openness, tmp_path, mask, mode, args):
    (tmp_path / "m.yaml").write_text("id: m\nname: M\ndeveloper: D\nsource: https://example.org/m\n")
    script = (f"import os, subprocess, sys; os.umask({mask}); "
              "sys.exit(subprocess.run([sys.argv[1], *sys.argv[2:], '-o', 'out']).returncode)")
    proc = subprocess.run([sys.executable, "-c", script, str(openness), *args], cwd=tmp_path, env=_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == mode


def test_help_texts_read_as_plain_text(openness, tmp_path):
    for command in (None, *COMMANDS):
        proc = run(openness, *([command] if command else []), "--help", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "``" not in proc.stdout and ":func:" not in proc.stdout, (command, proc.stdout)
