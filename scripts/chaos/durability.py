"""The kill -9 durability loop (issue 13): concurrent writers create IAM users with unique
names through boto3 and record every acknowledged name; each cycle the server is killed with
SIGKILL at a random moment and restarted. After every restart: every acknowledged user exists
(through every node), GetUser answers for every listed user (nothing half-created), and every
acknowledged CreateUser has its CloudTrail event (the event commits with the write). With a
PostgreSQL URL, two nodes share the database, the victim alternates, and (given a pg_ctl
command) PostgreSQL itself is stopped with `-m immediate` and started again mid-cycle."""
import argparse
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import threading
import time

import boto3
from botocore.config import Config

from chaoslib import Server

ap = argparse.ArgumentParser()
ap.add_argument("cycles", type=int, nargs="?", default=10)
ap.add_argument("--work", required=True)
ap.add_argument("--postgres", help="postgres:// URL of an empty database two nodes share")
ap.add_argument("--pg-ctl", help="pg_ctl command line (without action) that restarts that PostgreSQL")
ap.add_argument("--writers", type=int, default=4)
ap.add_argument("--seed", type=int, default=int(time.time()))
ap.add_argument("--max-delay", type=float, default=1.5, help="longest run before the kill, seconds")
opts = ap.parse_args()
rng = random.Random(opts.seed)
started = time.time()

nodes = [Server(opts.work, "a", store=opts.postgres)]
if opts.postgres:
    nodes.append(Server(opts.work, "b", store=opts.postgres))
failed_restarts = 0


def start(node):
    """Starts `node`, retrying a port still held by the killed process; False if it will not start."""
    for _ in range(20):
        if node.start():
            return True
        with open(node.log_path, errors="replace") as f:
            if "in use" not in f.read()[-2000:]:
                return False
        time.sleep(0.5)
    return False


if not start(nodes[0]):
    sys.exit(f"the first node did not start; see {nodes[0].log_path}")
account, creds = nodes[0].init()
if len(nodes) > 1:
    os.makedirs(nodes[1].data_dir, exist_ok=True)
    shutil.copy(os.path.join(nodes[0].data_dir, "master.key"), os.path.join(nodes[1].data_dir, "master.key"))
    if not start(nodes[1]):
        sys.exit(f"the second node did not start; see {nodes[1].log_path}")


def client(node, service):
    cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=10)
    return boto3.session.Session().client(
        service, endpoint_url=node.url, region_name="us-east-1", aws_access_key_id=creds.access_key,
        aws_secret_access_key=creds.secret_key, config=cfg)


lock = threading.Lock()
acked = []          # every acknowledged CreateUser, in order
errors = {"attempts": 0, "failed": 0}


def writer(index, node, cycle, stop):
    iam = client(node, "iam")
    n = 0
    while not stop.is_set():
        name = f"c{cycle}-w{index}-{n}"
        n += 1
        try:
            with lock:
                errors["attempts"] += 1
            iam.create_user(UserName=name)
            with lock:
                acked.append(name)
        except Exception:
            with lock:
                errors["failed"] += 1
            time.sleep(0.02)


def list_users(node):
    iam, names, marker = client(node, "iam"), set(), None
    while True:
        page = iam.list_users(MaxItems=1000, **({"Marker": marker} if marker else {}))
        names.update(u["UserName"] for u in page["Users"])
        if not page.get("IsTruncated"):
            return names
        marker = page["Marker"]


def created_events(node, since):
    """userName -> whether a successful CreateUser event exists, from `since` (epoch seconds) on."""
    ct, names, token = client(node, "cloudtrail"), set(), None
    while True:
        kw = {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
              "StartTime": since, "MaxResults": 50}
        if token:
            kw["NextToken"] = token
        page = ct.lookup_events(**kw)
        for event in page["Events"]:
            record = json.loads(event["CloudTrailEvent"])
            if not record.get("errorCode"):
                names.add((record.get("requestParameters") or {}).get("userName"))
        token = page.get("NextToken")
        if not token:
            return names


lost, lost_events, half_created, phantom, unacked_committed, pg_restarts = set(), set(), set(), 0, 0, 0
for cycle in range(opts.cycles):
    cycle_start = time.time()
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(i, nodes[i % len(nodes)], cycle, stop))
               for i in range(opts.writers)]
    for t in threads:
        t.start()
    delay = rng.uniform(0.2, opts.max_delay)
    if opts.pg_ctl and cycle % 2 == 1:
        # PostgreSQL itself crashes mid-cycle, under the running nodes.
        time.sleep(delay / 2)
        subprocess.run(shlex.split(opts.pg_ctl) + ["-m", "immediate", "stop"], capture_output=True)
        subprocess.run(shlex.split(opts.pg_ctl) + ["start"], capture_output=True, check=True)
        pg_restarts += 1
        time.sleep(delay / 2)
    else:
        time.sleep(delay)
    victim = nodes[cycle % len(nodes)]
    victim.kill()
    stop.set()
    for t in threads:
        t.join()
    if not start(victim):
        failed_restarts += 1
        if not start(victim):
            with open(victim.log_path, errors="replace") as f:
                tail = f.read()[-3000:]
            sys.exit(f"cycle {cycle + 1}: {victim.name} does not restart; its log ends:\n{tail}")

    # Verify through every node; another node sees a write after its refresh (200 ms).
    with lock:
        expected = set(acked)
    for node in nodes:
        deadline = time.time() + 5
        while True:
            listed = list_users(node)
            if expected <= listed or time.time() > deadline:
                break
            time.sleep(0.2)
        lost |= expected - listed
    ours = {n for n in listed if n.startswith(f"c{cycle}-")}
    unacked_committed += len(ours - expected)
    iam = client(nodes[0], "iam")
    for name in sorted(ours):
        try:
            iam.get_user(UserName=name)
        except Exception:
            half_created.add(name)
    mine = {n for n in expected if n.startswith(f"c{cycle}-")}
    for _ in range(10):   # another node's events, like its rows, arrive with its refresh
        events = created_events(nodes[0], cycle_start - 5)
        if mine <= events:
            break
        time.sleep(0.5)
    lost_events |= mine - events
    phantom += len({n for n in events if n and n.startswith(f"c{cycle}-")} - listed)
    print(f"cycle {cycle + 1}/{opts.cycles}: killed {victim.name} after {delay:.2f} s; "
          f"acknowledged {sum(n.startswith(f'c{cycle}-') for n in expected)}, listed {len(ours)}", flush=True)

for node in nodes:
    node.stop()
mode = f"2 nodes on PostgreSQL, {pg_restarts} PostgreSQL crash restarts" if opts.postgres else "SQLite, 1 node"
print(f"""
durability ({mode}; seed {opts.seed}; {time.time() - started:.0f} s)
  cycles:                     {opts.cycles}
  writers:                    {opts.writers}
  write attempts:             {errors['attempts']} ({errors['failed']} failed or unanswered)
  acknowledged writes:        {len(acked)}
  committed, unacknowledged:  {unacked_committed} (answer lost to the kill; allowed)
  lost writes:                {len(lost)}
  lost audit events:          {len(lost_events)}
  events without their user:  {phantom}
  half-created users:         {len(half_created)}
  failed restarts:            {failed_restarts}""")
for label, names in (("lost", lost), ("lost events", lost_events), ("half-created", half_created)):
    if names:
        print(f"  {label}: {sorted(names)[:20]}")
sys.exit(1 if lost or lost_events or half_created or failed_restarts or phantom else 0)
