"""The secrets grep (issue 13): creates access keys, a login profile, a virtual MFA device
(enabled), a service-specific credential, a server certificate with its private key and STS
session credentials through boto3, then searches every file of the data directory (database,
WAL, outbox, ...) and the server's whole log output (at debug level) for each secret value:
plain, hex, and base64 at every alignment. Prints what was checked; exits non-zero on a hit."""
import argparse
import base64
import hashlib
import hmac
import os
import struct
import subprocess
import sys
import time

from chaoslib import Server

ap = argparse.ArgumentParser()
ap.add_argument("--work", required=True)
opts = ap.parse_args()

server = Server(opts.work, "secrets", env={"RAMPART_LOG": "debug"})
if not server.start():
    sys.exit(f"the server did not start; see {server.log_path}")
account, admin = server.init()
iam, sts = server.client("iam", admin), server.client("sts", admin)
secrets = {}   # label -> list of byte strings that must appear nowhere

secrets["admin secret access key (init)"] = [admin.secret_key.encode()]
for line in server.init_output.splitlines():
    if "root password:" in line:
        secrets["root password (init)"] = [line.split("root password:")[1].split()[0].encode()]

iam.create_user(UserName="victim")
key = iam.create_access_key(UserName="victim")["AccessKey"]
secrets["access key secret"] = [key["SecretAccessKey"].encode()]

password = "Chaos-Secret-Passw0rd-" + os.urandom(6).hex()
iam.create_login_profile(UserName="victim", Password=password)
secrets["login profile password"] = [password.encode()]
new_password = "Chaos-Changed-Passw0rd-" + os.urandom(6).hex()
iam.update_login_profile(UserName="victim", Password=new_password)
secrets["updated login profile password"] = [new_password.encode()]
iam.put_user_policy(UserName="victim", PolicyName="change-password", PolicyDocument=(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"*"}]}'))


def totp(seed, step):
    digest = hmac.new(seed, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


device = iam.create_virtual_mfa_device(VirtualMFADeviceName="victim-mfa")["VirtualMFADevice"]
seed32 = device["Base32StringSeed"]
seed32 = seed32 if isinstance(seed32, bytes) else seed32.encode()
seed = base64.b32decode(seed32 + b"=" * (-len(seed32) % 8))
secrets["MFA seed (base32 as returned)"] = [seed32]
secrets["MFA seed (raw bytes)"] = [seed]
step = int(time.time()) // 30
for first in (step - 1, step):
    try:
        iam.enable_mfa_device(UserName="victim", SerialNumber=device["SerialNumber"],
                              AuthenticationCode1=totp(seed, first), AuthenticationCode2=totp(seed, first + 1))
        mfa_enabled = True
        break
    except Exception as err:
        mfa_error = err
else:
    mfa_enabled = False

cred = iam.create_service_specific_credential(UserName="victim", ServiceName="codecommit.amazonaws.com")
secrets["service-specific credential password"] = [cred["ServiceSpecificCredential"]["ServicePassword"].encode()]

cert_dir = os.path.join(opts.work, "cert")
os.makedirs(cert_dir)
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=chaos.test",
                "-keyout", f"{cert_dir}/key.pem", "-out", f"{cert_dir}/cert.pem"], check=True, capture_output=True)
key_pem = open(f"{cert_dir}/key.pem").read()
key_der = subprocess.run(["openssl", "pkey", "-in", f"{cert_dir}/key.pem", "-outform", "DER"],
                         check=True, capture_output=True).stdout
iam.upload_server_certificate(ServerCertificateName="chaos", CertificateBody=open(f"{cert_dir}/cert.pem").read(),
                              PrivateKey=key_pem)
# The whole PEM, its DER and one base64 line from inside it (a fragment of the key).
pem_line = [l for l in key_pem.splitlines() if not l.startswith("-----")][3].encode()
secrets["server certificate private key"] = [key_pem.encode(), key_der[64:128], pem_line]

victim = server.client("sts", type("C", (), {"access_key": key["AccessKeyId"],
                                               "secret_key": key["SecretAccessKey"]})())
session = victim.get_session_token()["Credentials"]
secrets["STS session secret key"] = [session["SecretAccessKey"].encode()]
role = iam.create_role(RoleName="chaos-role", AssumeRolePolicyDocument=(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},'
    '"Action":"sts:AssumeRole"}]}' % account))["Role"]
assumed = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="chaos")["Credentials"]
secrets["AssumeRole secret key"] = [assumed["SecretAccessKey"].encode()]
# Using the keys (signing with the secrets) must not log them either; nor a wrong password.
server.client("sts", type("C", (), {"access_key": assumed["AccessKeyId"], "token": assumed["SessionToken"],
                                    "secret_key": assumed["SecretAccessKey"]})()).get_caller_identity()
victim_iam = server.client("iam", type("C", (), {"access_key": key["AccessKeyId"],
                                                 "secret_key": key["SecretAccessKey"]})())
try:
    victim_iam.change_password(OldPassword="Wrong-" + new_password, NewPassword=new_password + "x")
except Exception:
    pass


def encodings(value):
    """The value plain, hex (both cases) and base64 (standard and URL-safe) at every alignment."""
    out = {"plain": [value], "hex": [value.hex().encode(), value.hex().upper().encode()], "base64": []}
    for k in range(3):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            text = enc(b"\0" * k + value).rstrip(b"=")
            # Drop the groups the neighbours can change: the first when padded, the last always.
            core = text[4 if k else 0:len(text) - 4]
            if len(core) >= 12:
                out["base64"].append(core)
    return out


def corpus_now(label):
    files = {}
    for d, _, names in os.walk(server.data_dir):
        for name in names:
            path = os.path.join(d, name)
            with open(path, "rb") as f:
                files[f"{label}: {os.path.relpath(path, opts.work)}"] = f.read()
    for d in (os.path.join(opts.work, "secrets"),):
        for name in os.listdir(d):
            if name.startswith("serve"):
                with open(os.path.join(d, name), "rb") as f:
                    files[f"{label}: log {name}"] = f.read()
    return files


corpus = corpus_now("running")
server.kill()   # SIGKILL: whatever is in the WAL stays there
corpus.update(corpus_now("after kill -9"))
server.start()
server.stop()
corpus.update(corpus_now("after restart and stop"))

hits, checks = [], 0
for label, values in secrets.items():
    for value in values:
        for encoding, needles in encodings(value).items():
            for needle in needles:
                for where, data in corpus.items():
                    checks += 1
                    if needle in data:
                        hits.append(f"{label} ({encoding}) in {where}")
print(f"secrets checked ({len(secrets)}):")
for label in secrets:
    print(f"  - {label}")
print(f"MFA device enabled: {mfa_enabled}" + ("" if mfa_enabled else f" ({mfa_error})"))
where = sorted({w.split(': ', 1)[1] for w in corpus})
print(f"searched {len(where)} files ({sum(len(d) for d in corpus.values()) / 1e6:.1f} MB over 3 snapshots): "
      + ", ".join(where))
print(f"secrets grep: {checks} (value, encoding, file) checks, {len(hits)} hits")
for hit in sorted(set(hits)):
    print("HIT:", hit)
sys.exit(1 if hits else 0)
