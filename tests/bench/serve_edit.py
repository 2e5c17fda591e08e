#!/usr/bin/env python3
"""serve_edit.py - how long `toivo serve` takes from saving one page to
telling the browser to reload, on a bench corpus.

    serve_edit.py TOIVO SITE OUT [EDITS]

Starts `toivo serve` on SITE, waits for its first build, then saves EDITS
(default 20; at most one per module) lesson pages one after another, each time appending
a paragraph in place as an editor does, and times each save until the
"reload" event arrives on the live-reload stream (/__toivo/events), which
is what a browser waits for.  The pages are put back as they were at the
end.  Prints the median and the slowest, and the rebuild times serve
itself reported ("rebuilt in X ms").
"""
import os
import re
import socket
import subprocess
import sys
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Events:
    """The server-sent event stream, read line by line."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.sendall(b"GET /__toivo/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Accept: text/event-stream\r\n\r\n")
        self.buf = b""

    def event(self, timeout):
        """The name of the next event, or None on time-out."""
        end = time.monotonic() + timeout
        while True:
            m = re.search(rb"event: (\w+)\n", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m.group(1).decode()
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not data:
                return None
            self.buf += data


def lessons(site, n):
    """The first lesson of each module, at most n, in a fixed order."""
    found = []
    content = os.path.join(site, "content")
    for mod in sorted(os.listdir(content)):
        d = os.path.join(content, mod)
        if not os.path.isdir(d) or mod == "data":
            continue
        names = sorted(x for x in os.listdir(d) if x.endswith(".md") and not x.startswith("_index"))
        if names:
            found.append(os.path.join(d, names[0]))
    return found[:n]


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    toivo, site, out = sys.argv[1:4]
    edits = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    port = free_port()
    log = open(out + ".serve.log", "w")
    srv = subprocess.Popen([toivo, "serve", "-s", site, "-o", out, "--port", str(port)],
                           stdout=log, stderr=subprocess.STDOUT)
    pages = lessons(site, edits)
    saved = {p: open(p, "rb").read() for p in pages}
    times = []
    try:
        # The first build: wait until a page is served (requests wait for it).
        deadline = time.monotonic() + 300
        up = False
        while not up and time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=300) as c:
                    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    up = c.recv(12).startswith(b"HTTP/1.1 200")
            except OSError:
                time.sleep(0.1)
        if not up:
            print("serve_edit: toivo serve did not start", file=sys.stderr)
            return 1
        ev = Events(port)
        if ev.event(0.5) is not None:
            print("serve_edit: an event came before any edit", file=sys.stderr)
            return 1
        for i, p in enumerate(pages):
            t0 = time.monotonic()
            with open(p, "ab") as f:
                f.write(b"\nEdited paragraph number %d for the serve benchmark.\n" % i)
            name = ev.event(30)
            t1 = time.monotonic()
            if name != "reload":
                print("serve_edit: expected a reload event after editing %s, got %s" % (p, name),
                      file=sys.stderr)
                return 1
            times.append((t1 - t0) * 1000)
            # Let serve finish the search index and the rest.
            time.sleep(0.5)
    finally:
        srv.terminate()
        srv.wait(30)
        for p, data in saved.items():
            with open(p, "wb") as f:
                f.write(data)
        log.close()
    own = [float(x) for x in re.findall(r"rebuilt in ([0-9.]+) ms", open(out + ".serve.log").read())]
    times.sort()
    own.sort()
    med = times[len(times) // 2]
    print("serve: %d one-page edits, save to reload event: median %.1f ms, slowest %.1f ms"
          % (len(times), med, times[-1]))
    if own:
        print("serve: rebuild alone (as serve reports it): median %.1f ms, slowest %.1f ms, %d of %d edits rebuilt one page"
              % (own[len(own) // 2], own[-1], len(own), len(times)))
    else:
        print("serve: no one-page rebuilds: every edit rebuilt the whole site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
