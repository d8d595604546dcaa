"""moto's own IAM, STS, Organizations and Account tests against Rampart's test mode.

Fetches the moto source distribution pinned below from PyPI (once, into MOTO_CACHE), runs
its tests/test_{iam,sts,organizations,account} folders in moto's "server mode" against
RAMPART_ENDPOINT (moto's harness then sends every boto3 call there and POSTs
/moto-api/reset around each test), prints counts per service and compares the failures
with the tests docs/moto-differences.md lists (`tests/...::test_...` in backticks).

Exit status 0 only when every failure is listed there, and every listed test was run and
failed: a test that starts to pass must leave the list, so the list stays true (except under a
heading that says "either outcome": tests whose result depends on an order AWS leaves open).
MOTO_SUITE_REASONS=FILE also writes each failure's node id and message there.

moto's tests/test_*/test_server.py files are not run: they drive moto's own Flask app
in-process and never reach the endpoint.
"""
import hashlib
import os
import re
import subprocess
import sys
import tarfile
from collections import Counter

MOTO_VERSION = "5.2.1"
MOTO_SDIST_SHA256 = "ccb2f3e1dfa82e50e054bda98b0be708d244d2668364dcc1d45e8d3de6091bde"
SERVICES = ("iam", "sts", "organizations", "account")
NODE_ID = re.compile(r"`(tests/test_[a-z_]+/[A-Za-z0-9_]+\.py::[^`\s]+)`")

endpoint = os.environ["RAMPART_ENDPOINT"]
cache = os.environ["MOTO_CACHE"]
differences_path = os.environ["MOTO_DIFFERENCES"]


def moto_source():
    """The unpacked sdist's directory, downloaded and checked on first use."""
    src = os.path.join(cache, f"moto-{MOTO_VERSION}")
    if os.path.isdir(os.path.join(src, "tests")):
        return src
    os.makedirs(cache, exist_ok=True)
    sdist = os.path.join(cache, f"moto-{MOTO_VERSION}.tar.gz")
    if not os.path.exists(sdist):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "--disable-pip-version-check", "-d", cache, f"moto=={MOTO_VERSION}"], check=True)
    with open(sdist, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    if digest != MOTO_SDIST_SHA256:
        sys.exit(f"{sdist}: sha256 {digest}, expected {MOTO_SDIST_SHA256}")
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(f"moto-{MOTO_VERSION}/tests/")]
        tar.extractall(cache, members=members, filter="data")
    return src


class Outcomes:
    """pytest plugin: the outcome of every test, by node id (setup errors count as failed)."""

    def __init__(self):
        self.outcome = {}
        self.reason = {}

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcome[report.nodeid] = "failed"
            crash = getattr(report.longrepr, "reprcrash", None)
            self.reason.setdefault(report.nodeid, crash.message if crash else str(report.longrepr))
        elif report.skipped and report.when in ("setup", "call"):
            self.outcome.setdefault(report.nodeid, "skipped")
        elif report.when == "call" and report.passed:
            self.outcome.setdefault(report.nodeid, "passed")

    def pytest_collectreport(self, report):
        if report.failed:
            self.outcome[report.nodeid] = "failed"


def main():
    src = moto_source()
    # Tests under a heading that says "either outcome" may pass or fail from run to run (they
    # depend on an order AWS leaves unspecified); they are neither required to fail nor to pass.
    listed, either = set(), set()
    with open(differences_path) as fh:
        for section in re.split(r"^## ", fh.read(), flags=re.M):
            heading = section.split("\n", 1)[0]
            (either if "either outcome" in heading else listed).update(NODE_ID.findall(section))

    # moto's server-mode switches (moto/settings.py), read when moto is imported.
    os.environ.update({
        "TEST_SERVER_MODE": "true",
        "TEST_SERVER_MODE_ENDPOINT": endpoint,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "FOOBARKEY",
        "AWS_SECRET_ACCESS_KEY": "FOOBARSECRET",
    })
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "MOTO_CALL_RESET_API"):
        os.environ.pop(name, None)
    os.chdir(src)
    sys.path.insert(0, src)
    import pytest

    outcomes = Outcomes()
    args = [f"tests/test_{s}" for s in SERVICES]
    args += [a for s in SERVICES for a in ("--ignore", f"tests/test_{s}/test_server.py")]
    args += ["-q", "-p", "no:cacheprovider", "--color=no", "--tb=line", "-o", "addopts="]
    pytest.main(args, plugins=[outcomes])

    per_service = {s: Counter() for s in SERVICES}
    for node, outcome in outcomes.outcome.items():
        service = node.split("/")[1].removeprefix("test_") if node.count("/") >= 1 else "?"
        per_service.setdefault(service, Counter())[outcome] += 1
    print(f"\n{'service':<15}{'passed':>8}{'failed':>8}{'skipped':>8}")
    for service, counts in per_service.items():
        print(f"{service:<15}{counts['passed']:>8}{counts['failed']:>8}{counts['skipped']:>8}")
    total = sum(per_service.values(), Counter())
    print(f"{'total':<15}{total['passed']:>8}{total['failed']:>8}{total['skipped']:>8}")

    failed = {n for n, o in outcomes.outcome.items() if o == "failed"}
    if os.environ.get("MOTO_SUITE_REASONS"):
        with open(os.environ["MOTO_SUITE_REASONS"], "w") as fh:
            for node in sorted(failed):
                reason = " ".join(outcomes.reason.get(node, "").split())
                fh.write(f"{node}\t{reason[:400]}\n")
    unlisted = sorted(failed - listed - either)
    passing = sorted(n for n in listed if outcomes.outcome.get(n) in ("passed", "skipped"))
    unknown = sorted(n for n in listed | either if n not in outcomes.outcome)
    for title, nodes in (("failed but not in docs/moto-differences.md", unlisted),
                         ("listed in docs/moto-differences.md but passing now: remove them", passing),
                         ("listed in docs/moto-differences.md but not in moto's suite", unknown)):
        if nodes:
            print(f"\n{len(nodes)} {title}:")
            for node in nodes:
                print(f"  {node}")
    return 1 if unlisted or passing or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
