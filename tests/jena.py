"""Apache Jena's command-line tools (riot, rsparql, shacl) from Debian's ``libapache-jena-java``, for tests.

Debian packages Jena's jars without its launcher scripts, so the tools run as ``java -cp ... <main class>``.
Its build moved Jena's embedded Xerces classes to the package ``xerces`` but left their message files
under ``org/apache/jena/ext/xerces``, and Jena then fails at start-up; the message files are made
visible at the package name the classes look for, in a temporary directory, read from the installed jar.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from functools import lru_cache
from pathlib import Path

JARS = Path("/usr/share/java")
#: The jars Jena's command-line tools need (the Depends of libapache-jena-java).
DEPENDENCIES = ("commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
                "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-annotations",
                "jackson-core", "jackson-databind", "jakarta.json-api", "jsonld-java", "protobuf", "thrift",
                "titanium-json-ld", "slf4j-api", "slf4j-simple")
_MOVED = "org/apache/jena/ext/xerces/"


def _messages_dir(base: Path) -> Path:
    target = base / "jena-xerces-messages"
    if not (target / "xerces").is_dir():
        with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
            for name in jar.namelist():
                if name.startswith(_MOVED) and name.endswith(".properties"):
                    out = target / "xerces" / name[len(_MOVED):]
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(jar.read(name))
    return target


@lru_cache(maxsize=1)
def jena_classpath(base: str = "/tmp") -> str | None:
    """The class path of Jena's tools, or None when Java or libapache-jena-java is not installed."""
    if shutil.which("java") is None or not (JARS / "jena-cmds.jar").is_file():
        return None
    jars = sorted(JARS.glob("jena-*.jar"))
    jars = [j for j in jars if not j.stem.split("-")[-1][:1].isdigit()]  # the unversioned links
    deps = [JARS / f"{name}.jar" for name in DEPENDENCIES]
    if any(not d.is_file() for d in deps):
        return None
    return ":".join(str(p) for p in [_messages_dir(Path(base)), *jars, *deps])


def jena(main_class: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run one of Jena's tools (``riotcmd.riot``, ``arq.rsparql``, ``shacl.shacl``...)."""
    classpath = jena_classpath()
    assert classpath is not None, "Jena is not installed"
    return subprocess.run(["java", "-cp", classpath, main_class, *args], capture_output=True, text=True,
                          timeout=timeout)
