"""Shared by the chaos scripts: a throwaway release server on 127.0.0.1 (start, kill -9,
restart on the same port, `rampart init`), its administrator's keys, and SigV4-signed raw
requests for inputs that boto3 would refuse to send."""
import atexit
import configparser
import os
import re
import signal
import subprocess
import time

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

BIN = os.environ.get("CHAOS_BIN") or os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/rampart-target")),
                   "release", "rampart")


class Server:
    """One `rampart serve` process; `data_dir` persists across restarts, the port too."""

    def __init__(self, work, name="node", store=None, env=None, args=()):
        self.work, self.name, self.store = work, name, store
        self.data_dir = os.path.join(work, name, "data")
        os.makedirs(os.path.join(work, name), exist_ok=True)
        self.env = {**os.environ, "RAMPART_LOG": os.environ.get("RAMPART_LOG", "warn"), **(env or {})}
        self.env["AWS_CONFIG_FILE"] = os.path.join(work, name, "config")
        self.env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(work, name, "credentials")
        self.args = list(args)
        self.port, self.proc, self.starts = 0, None, 0
        self.log_path = os.path.join(work, name, "serve.log")
        atexit.register(self.kill)   # never leave a server behind, whatever the script's exit

    def store_args(self):
        return ["--store", self.store] if self.store else []

    def start(self, timeout=15):
        """Starts the server and waits for its `rampart listening on` line; False on failure."""
        self.starts += 1
        out_path = os.path.join(self.work, self.name, f"serve.{self.starts}.out")
        out = open(out_path, "wb")
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir,
             *self.store_args(), *self.args],
            stdout=out, stderr=log, env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(out_path) as f:
                m = re.search(r"rampart listening on (https?://127\.0\.0\.1:(\d+))", f.read())
            if m:
                self.url, self.port = m.group(1), int(m.group(2))
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.05)
        self.kill()
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    def init(self):
        """`rampart init` against the running server; returns (account id, Credentials)."""
        out = subprocess.run([BIN, "init", "--data-dir", self.data_dir, *self.store_args(),
                              "--endpoint-url", self.url],
                             env=self.env, capture_output=True, text=True, check=True)
        self.init_output = out.stdout + out.stderr
        account = re.search(r"management account: (\d+)", out.stdout).group(1)
        return account, self.credentials()

    def credentials(self):
        creds = configparser.ConfigParser()
        creds.read(self.env["AWS_SHARED_CREDENTIALS_FILE"])
        return Credentials(creds["rampart"]["aws_access_key_id"], creds["rampart"]["aws_secret_access_key"])

    def client(self, service, creds, **config):
        import boto3
        from botocore.config import Config
        cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=3, read_timeout=10, **config)
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=creds.access_key, aws_secret_access_key=creds.secret_key,
                            aws_session_token=getattr(creds, "token", None), config=cfg)


def signed_headers(url, creds, service, body, headers, path="/", method="POST"):
    """SigV4 headers for an arbitrary (possibly malformed) body."""
    req = AWSRequest(method=method, url=url + path, data=body, headers=dict(headers))
    SigV4Auth(creds, service, "us-east-1").add_auth(req)
    return dict(req.headers.items())
