"""A small QMP client: enough to run a few commands while the guest is stopped (-S), then 'cont'.

Used by qemu_run.run(qmp=...), e.g. to inject poison into a CXL device before
firmware boots: ("cxl-inject-poison", {"path": "/machine/peripheral/mem0", "start": 0x1000, "length": 64}).
"""
import json
import socket
import time


class QMP:
    def __init__(self, path, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no QMP socket at {path} after {timeout} s")
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.f = self.sock.makefile("rwb")
        self._reply()  # the greeting
        self.cmd("qmp_capabilities")

    def _reply(self):
        while True:
            line = self.f.readline()
            if not line:
                raise ConnectionError("QMP connection closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        self.f.flush()
        r = self._reply()
        if "error" in r:
            raise RuntimeError(f"QMP {name} {args}: {r['error']}")
        return r.get("return")

    def close(self):
        self.f.close()
        self.sock.close()
