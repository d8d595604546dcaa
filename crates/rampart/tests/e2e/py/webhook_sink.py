"""A loopback webhook receiver for the alert tests.

Usage: webhook_sink.py OUT SECRET FAIL_FIRST [PORT]. Prints its port, answers 500 to the
first FAIL_FIRST requests (a receiver that is down), then checks each request's signature
as a receiver should (X-Rampart-Signature = "sha256=" + hex HMAC-SHA256 of
"<X-Rampart-Timestamp>.<raw body>" keyed with SECRET) and appends one JSON line per request
to OUT: deliveryId, attempt, verified, receivedAt (epoch seconds, float) and the envelope."""
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

out_path, secret, fail_first = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
port = int(sys.argv[4]) if len(sys.argv) > 4 else 0
lock = threading.Lock()
seen = [0]


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        received_at = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            seen[0] += 1
            down = seen[0] <= fail_first
        if down:
            self.send_response(500)
            self.end_headers()
            return
        timestamp = self.headers.get("X-Rampart-Timestamp", "")
        expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        verified = hmac.compare_digest(expected, self.headers.get("X-Rampart-Signature", ""))
        record = {
            "deliveryId": self.headers.get("X-Rampart-Delivery-Id"),
            "attempt": self.headers.get("X-Rampart-Attempt"),
            "verified": verified,
            "receivedAt": received_at,
            "envelope": json.loads(body),
        }
        with lock, open(out_path, "a") as out:
            out.write(json.dumps(record) + "\n")
        self.send_response(204 if verified else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
