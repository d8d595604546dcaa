"""Summarizes a Prowler run: findings per service and status from its OCSF output, and every
error its log recorded. Exits 1 when a check errored (a finding is not an error).

Usage: summary.py OCSF_JSON PROWLER_LOG"""
import collections
import json
import sys

ocsf_path, log_path = sys.argv[1], sys.argv[2]
try:
    with open(ocsf_path, encoding="utf-8") as f:
        findings = json.load(f)
except FileNotFoundError:
    findings = []

by_service = collections.defaultdict(collections.Counter)
checks = set()
for finding in findings:
    check = finding["metadata"]["event_code"]
    checks.add(check)
    by_service[check.split("_", 1)[0]][finding["status_code"]] += 1
print(f"{len(checks)} checks reported {len(findings)} findings")
for service, counts in sorted(by_service.items()):
    print(f"  {service:14} " + ", ".join(f"{status} {n}" for status, n in sorted(counts.items())))

errors = []
with open(log_path, encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = {"level": "ERROR" if "ERROR" in line else "", "message": line}
        if record.get("level") in ("ERROR", "CRITICAL"):
            where = record.get("module") or record.get("filename") or ""
            errors.append(f"{where}: {record.get('message', line)}")
if errors:
    print(f"{len(errors)} errors:")
    for error in errors:
        print(f"  {error}")
    sys.exit(1)
print("no check errored")
