#!/usr/bin/env python3
"""Checks what `./mvnw -P publish deploy` put into a throwaway repository against what Maven Central
requires, and against the project's own rules.

Usage: check-published.py STAGING_REPO EFFECTIVE_POMS ARTIFACT[=AUTOMATIC_MODULE_NAME]...

STAGING_REPO    the file repository deployed to (-DaltDeploymentRepository=staging::file:DIR)
EFFECTIVE_POMS  the output of `./mvnw -P publish help:effective-pom -Doutput=FILE` over the reactor
ARTIFACT        each artifact that must be published, and nothing else; a jar artifact names the
                Automatic-Module-Name its jar must declare

Every published artifact must have, in its effective POM, a name, description, url, the Apache-2.0
licence, scm (url, connection, developerConnection) and a developer; url and scm are the parent's
(no artifactId appended). A jar artifact comes with a sources and a javadoc jar, and when it holds
classes, those hold .java files and an index.html. Every other reactor module skips install and
deploy. Exits 1 after printing every problem found.
"""
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

NS = {"m": "http://maven.apache.org/POM/4.0.0"}
problems = []


def problem(message):
    problems.append(message)
    print("  PROBLEM: " + message)


def text(element, path):
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def effective_poms(file):
    root = ET.parse(file).getroot()
    projects = [root] if root.tag.endswith("}project") else root.findall("m:project", NS)
    return {text(p, "m:artifactId"): p for p in projects}


def staged_files(version_dir, artifact_id, version):
    """(classifier, extension) -> file, from the snapshot metadata or, for a release, the names."""
    metadata = version_dir / "maven-metadata.xml"
    files = {}
    if metadata.exists():
        for entry in ET.parse(metadata).getroot().iter("snapshotVersion"):
            classifier = (entry.findtext("classifier") or "").strip()
            extension = entry.findtext("extension").strip()
            value = entry.findtext("value").strip()
            suffix = "-" + classifier if classifier else ""
            files[(classifier, extension)] = version_dir / f"{artifact_id}-{value}{suffix}.{extension}"
    else:
        prefix = f"{artifact_id}-{version}"
        for file in version_dir.iterdir():
            if file.name.startswith(prefix) and file.suffix in (".jar", ".pom"):
                classifier = file.name[len(prefix):-len(file.suffix)].lstrip("-")
                files[(classifier, file.suffix[1:])] = file
    return files


def check_metadata(artifact_id, pom, poms):
    for field in ("name", "description", "url"):
        if not text(pom, "m:" + field):
            problem(f"{artifact_id}: no <{field}>")
    licenses = [text(l, "m:name") for l in pom.findall("m:licenses/m:license", NS)]
    if licenses != ["Apache-2.0"]:
        problem(f"{artifact_id}: licenses {licenses}, expected ['Apache-2.0']")
    for field in ("url", "connection", "developerConnection"):
        if not text(pom, "m:scm/m:" + field):
            problem(f"{artifact_id}: no <scm><{field}>")
    if not [d for d in pom.findall("m:developers/m:developer", NS) if text(d, "m:name")]:
        problem(f"{artifact_id}: no <developers><developer><name>")
    parent = parent_pom(pom, poms)
    if parent is not None and urls(pom) != urls(parent):
        problem(f"{artifact_id}: url and scm {urls(pom)} are not its parent's {urls(parent)} (artifactId appended?)")


def urls(pom):
    return (text(pom, "m:url"), text(pom, "m:scm/m:url"), text(pom, "m:scm/m:connection"),
            text(pom, "m:scm/m:developerConnection"))


def parent_pom(pom, poms):
    return poms.get(text(pom, "m:parent/m:artifactId"))


def check_jar(artifact_id, files, module_name):
    for classifier in ("", "sources", "javadoc"):
        if (classifier, "jar") not in files:
            problem(f"{artifact_id}: no {classifier or 'main'} jar published")
    if ("", "jar") not in files:
        return
    with zipfile.ZipFile(files[("", "jar")]) as jar:
        manifest = jar.read("META-INF/MANIFEST.MF").decode("utf-8")
        has_classes = any(n.endswith(".class") for n in jar.namelist())
    declared = [line.split(":", 1)[1].strip() for line in manifest.splitlines()
                if line.startswith("Automatic-Module-Name:")]
    if declared != [module_name]:
        problem(f"{artifact_id}: Automatic-Module-Name {declared}, expected [{module_name!r}]")
    if has_classes:
        for classifier, wanted in (("sources", ".java"), ("javadoc", "index.html")):
            if (classifier, "jar") in files:
                with zipfile.ZipFile(files[(classifier, "jar")]) as jar:
                    if not any(n.endswith(wanted) for n in jar.namelist()):
                        problem(f"{artifact_id}: its {classifier} jar holds no {wanted}")
    print(f"  {artifact_id}: " + ", ".join(sorted(f"{c or 'main'}.{e}" for c, e in files))
          + f"; Automatic-Module-Name {declared[0] if declared else '-'}")


def main(staging, effective_file, expected):
    poms = effective_poms(effective_file)
    group = text(next(iter(poms.values())), "m:groupId")
    group_dir = staging / group.replace(".", "/")
    staged = sorted(p.name for p in group_dir.iterdir() if p.is_dir()) if group_dir.is_dir() else []
    print(f"published to {staging}: {', '.join(staged) or 'nothing'}")
    if staged != sorted(expected):
        problem(f"published {staged}, expected exactly {sorted(expected)}")

    for artifact_id in sorted(set(staged) & set(expected)):
        pom = poms.get(artifact_id)
        if pom is None:
            problem(f"{artifact_id}: published but not in the reactor's effective POMs")
            continue
        version = text(pom, "m:version")
        files = staged_files(group_dir / artifact_id / version, artifact_id, version)
        if ("", "pom") not in files:
            problem(f"{artifact_id}: no POM published")
        parent = text(pom, "m:parent/m:artifactId")
        if parent and parent not in staged:
            problem(f"{artifact_id}: its parent {parent} is not published")
        check_metadata(artifact_id, pom, poms)
        packaging = text(pom, "m:packaging") or "jar"
        if packaging == "jar":
            check_jar(artifact_id, files, expected[artifact_id])
        else:
            print(f"  {artifact_id}: {packaging}")

    for artifact_id, pom in sorted(poms.items()):
        if artifact_id in expected:
            continue
        for switch in ("maven.install.skip", "maven.deploy.skip"):
            if text(pom, "m:properties/m:" + switch) != "true":
                problem(f"{artifact_id} is never published but does not set {switch}")

    if problems:
        print(f"{len(problems)} problem(s) in what would be published")
        return 1
    print(f"published POMs and artifacts: {len(staged)} checked, all complete")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    wanted = dict((a.split("=", 1) + [""])[:2] for a in sys.argv[3:])
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), wanted))
