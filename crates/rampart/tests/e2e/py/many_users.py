"""Creates RAMPART_USERS users and checks MaxItems/Marker paging over them."""
import os

import boto3

session = boto3.session.Session(aws_access_key_id=os.environ["RAMPART_ACCESS_KEY_ID"],
                                aws_secret_access_key=os.environ["RAMPART_SECRET_ACCESS_KEY"], region_name="us-east-1")
iam = session.client("iam", endpoint_url=os.environ["RAMPART_ENDPOINT"])
count = int(os.environ["RAMPART_USERS"])
for n in range(count):
    iam.create_user(UserName=f"user{n:04d}")
seen, marker, pages = [], None, 0
while True:
    kwargs = {"MaxItems": 100}
    if marker:
        kwargs["Marker"] = marker
    page = iam.list_users(**kwargs)
    pages += 1
    seen += [u["UserName"] for u in page["Users"]]
    if not page["IsTruncated"]:
        assert "Marker" not in page
        break
    assert len(page["Users"]) == 100
    marker = page["Marker"]
assert pages == 3 and len(seen) == count + 1 and len(set(seen)) == count + 1, (pages, len(seen))
print("ok")
