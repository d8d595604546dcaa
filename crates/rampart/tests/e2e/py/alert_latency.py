"""Alert delivery latency: N root CreateUser calls, each waiting until the webhook sink
(its output file in SINK_OUT) received the call's alert. Latency is the sink's receive
time minus the time the call was acknowledged (the event committed before that), with
the time from sending the request as an upper bound (the first can be negative: the alert
may arrive before the client reads its answer). Writes the figures to LATENCY_OUT."""
import json
import os
import statistics
import time

from rampart_test import clients

N = int(os.environ.get("N", "20"))
sink_out = os.environ["SINK_OUT"]
(iam,) = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"], services=("iam",))


def received(user):
    try:
        with open(sink_out) as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # the receiver is still writing this record; look again
                record = json.loads(line)
                detail = record["envelope"]["detail"]
                if detail["eventName"] == "CreateUser" and (detail.get("requestParameters") or {}).get("userName") == user:
                    return record["receivedAt"]
    except FileNotFoundError:
        pass
    return None


after_ack, after_send = [], []
for i in range(N):
    user = f"latency-{i}"
    sent = time.time()
    iam.create_user(UserName=user)
    acked = time.time()
    deadline = acked + 30
    while (at := received(user)) is None:
        assert time.time() < deadline, f"no alert for {user}"
        time.sleep(0.002)
    after_ack.append((at - acked) * 1000)
    after_send.append((at - sent) * 1000)

figures = {
    "n": N,
    "median_ms_after_ack": statistics.median(after_ack),
    "median_ms_after_send": statistics.median(after_send),
    "max_ms_after_send": max(after_send),
}
with open(os.environ["LATENCY_OUT"], "w") as out:
    json.dump(figures, out)
