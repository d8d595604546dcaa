"""Summarizes a Prowler run: findings per service and status from its OCSF output, and every
error its log recorded. Exits 1 when a check or a service it reads errored (a finding is not
an error).

Two kinds of logged error are reported but do not fail the run, each for a stated reason:
- Prowler's own defects, which it logs against AWS too (NOT_RAMPART below);
- the provider's region discovery (EC2 DescribeRegions): EC2 is not a service Rampart
  serves, and Prowler falls back to its own region list, so every check still runs.

Usage: summary.py OCSF_JSON PROWLER_LOG"""
import collections
import json
import sys

# (module, text in the message, why it is not Rampart's)
NOT_RAMPART = [
    ("privilege_escalation", "Invalid action pattern 'codestar:",
     "Prowler 5.46's escalation patterns name CodeStar, which its own action catalogue no longer has"),
    ("aws_provider", "DescribeRegions",
     "EC2 region discovery: not a Rampart service; Prowler falls back to its region list"),
]

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
            errors.append((where, record.get("message", line)))

ignored = collections.Counter()
failing = []
for where, message in errors:
    reason = next((why for module, text, why in NOT_RAMPART if where == module and text in message), None)
    if reason:
        ignored[reason] += 1
    else:
        failing.append(f"{where}: {message}")
for reason, n in ignored.items():
    print(f"not Rampart's ({n}x): {reason}")
errors = sorted(collections.Counter(failing).items())
if errors:
    print(f"{len(failing)} errors:")
    for error, n in errors:
        print(f"  {n}x {error}")
    sys.exit(1)
print("no check errored")
