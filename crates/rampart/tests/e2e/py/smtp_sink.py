"""A loopback SMTP server for tests: prints its port, then appends each message to a file."""
import asyncore
import smtpd
import sys
import warnings

warnings.simplefilter("ignore")
out_path = sys.argv[1]


class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        with open(out_path, "ab") as f:
            f.write(b"RCPT " + ",".join(rcpttos).encode() + b"\n" + (data if isinstance(data, bytes) else data.encode()) + b"\n.\n")


server = Sink(("127.0.0.1", 0), None, decode_data=False)
print(server.socket.getsockname()[1], flush=True)
asyncore.loop()
