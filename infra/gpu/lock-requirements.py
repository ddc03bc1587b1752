"""Writes infra/gpu/requirements.txt: torch==2.7.1 and everything it installs, each pinned by version and by the sha256
of its Linux x86_64 wheels for CPython 3.10-3.13 (from PyPI's simple index, PEP 691), for pip --require-hashes.

    python3 infra/gpu/lock-requirements.py REPORT.json > infra/gpu/requirements.txt

REPORT.json: `pip install --report REPORT.json torch==2.7.1` in a fresh venv (which names the versions to pin).
"""
import json
import re
import sys
import urllib.request

TAGS = re.compile(r"-(cp31[0-3]-cp31[0-3]|py3-none)-(manylinux[^ ]*x86_64|any)\.whl$")

report = json.load(open(sys.argv[1]))
print("# written by infra/gpu/lock-requirements.py from a pip --report of `pip install torch==2.7.1`;")
print("# installed with --require-hashes --no-deps by infra/gpu/install-libtorch.sh")
for item in sorted(report["install"], key=lambda i: i["metadata"]["name"].lower()):
    name, version = item["metadata"]["name"], item["metadata"]["version"]
    project = re.sub(r"[-_.]+", "-", name).lower()
    request = urllib.request.Request(f"https://pypi.org/simple/{project}/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request) as response:
        files = json.load(response)["files"]
    wheel = re.sub(r"[-_.]+", "_", name).lower() + "-" + version + "-"
    hashes = sorted(f["hashes"]["sha256"] for f in files
                    if f["filename"].lower().startswith(wheel) and TAGS.search(f["filename"]))
    if not hashes:
        sys.exit(f"no Linux x86_64 wheel of {name} {version} on PyPI")
    print(f"{name}=={version} " + " ".join(f"--hash=sha256:{h}" for h in hashes).replace(" --", " \\\n    --"))
