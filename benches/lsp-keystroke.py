"""Times obc lsp re-checking a document on each keystroke, as an editor drives it: the
document is opened, then characters are typed one at a time into a comment at its end, and
for each one the time from sending the change to receiving the diagnostics for that version
is measured. For benches/lsp-keystroke.sh; prints one line of results."""
import json
import statistics
import subprocess
import sys
import time

obc, contract, keystrokes = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(contract, encoding="utf-8").read()
if not text.endswith("\n"):
    text += "\n"
text += "// "
uri = "file:///bench/contract.obc"

server = subprocess.Popen([obc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(message):
    body = json.dumps(message).encode("utf-8")
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive():
    length = None
    while True:
        line = server.stdout.readline()
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))


def diagnostics_for(version):
    while True:
        message = receive()
        if message.get("method") == "textDocument/publishDiagnostics" and \
                message["params"].get("version") == version:
            return message["params"]["diagnostics"]


send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
while receive().get("id") != 1:
    pass
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
start = time.perf_counter()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "obc", "version": 1, "text": text}}})
found = diagnostics_for(1)
opened = time.perf_counter() - start

last_line = text.count("\n")
column = 3
times = []
for i in range(keystrokes):
    version = i + 2
    position = {"line": last_line, "character": column}
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": position, "end": position}, "text": "abcdefgh"[i % 8]}]}})
    diagnostics_for(version)
    times.append(time.perf_counter() - start)
    column += 1

send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
while receive().get("id") != 2:
    pass
send({"jsonrpc": "2.0", "method": "exit"})
server.wait(timeout=30)

ms = sorted(t * 1000 for t in times)
p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
print(f"{len(text.encode('utf-8')) // 1024:>8} {len(found):>9} {opened * 1000:>9.1f} "
      f"{statistics.median(ms):>10.1f} {p95:>8.1f} {ms[-1]:>8.1f}")
