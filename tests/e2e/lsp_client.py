# lsp_client.py FIX ROOT FILE — a minimal LSP client for the hardening tests: starts `fix lsp
# --backend none` (or $FIX_LSP_ARGS) in ROOT, initializes, opens FILE (C, C++ or Rust by its name), saves it, and
# prints as JSON what came back: the diagnostics' messages after the open and after the save
# ("checks", null where none came within the timeout), every window/showMessage ("shown"), every
# publishDiagnostics ("published"), and the server's stderr. With FIX_LSP_ACT=1 it then asks for
# the code actions at the first diagnostic and runs "Fix with AI" as a command: "acted" is the
# workspace/applyEdit it was sent, or the message it was shown instead.
import json, os, subprocess, sys, threading, time
fix, root, path = sys.argv[1:4]
extra = os.environ.get("FIX_LSP_ARGS", "--backend none").split()
proc = subprocess.Popen([fix, "lsp"] + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, cwd=root)
msgs, seen, lock = [], [], threading.Condition()
def reader():
    f = proc.stdout
    while True:
        n = None
        while True:
            line = f.readline()
            if not line:
                with lock: lock.notify_all()
                return
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        body = json.loads(f.read(n))
        with lock:
            msgs.append(body)
            seen.append(body)
            lock.notify_all()
err = []
threading.Thread(target=reader, daemon=True).start()
threading.Thread(target=lambda: err.append(proc.stderr.read().decode(errors="replace")), daemon=True).start()
def send(m):
    b = json.dumps(m).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
    proc.stdin.flush()
def wait(pred, timeout=120):
    end = time.time() + timeout
    with lock:
        while True:
            for m in msgs:
                if pred(m):
                    msgs.remove(m)
                    return m
            if time.time() > end or proc.poll() is not None:
                return None
            lock.wait(0.2)
uri = "file://" + path
lang = "rust" if path.endswith(".rs") else "cpp" if path.endswith((".cc", ".cpp", ".cxx")) else "c"
send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"processId": os.getpid(), "rootUri": "file://" + root, "capabilities": {}}})
wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
text = open(path).read()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": text}}})
pub = lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
checks = []
d = wait(pub)
checks.append([x["message"] for x in d["params"]["diagnostics"]] if d else None)
send({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}}})
d = wait(pub)
checks.append([x["message"] for x in d["params"]["diagnostics"]] if d else None)
acted = None
if os.environ.get("FIX_LSP_ACT") == "1" and d and d["params"]["diagnostics"]:
    diag = d["params"]["diagnostics"][0]
    send({"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction",
          "params": {"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}})
    r = wait(lambda m: m.get("id") == 3, 60)
    cmds = [a["command"] for a in (r or {}).get("result") or [] if isinstance(a.get("command"), dict)
            and a["command"].get("command") == "fix.repair"]
    if cmds:
        send({"jsonrpc": "2.0", "id": 4, "method": "workspace/executeCommand", "params": cmds[0]})
        m = wait(lambda m: m.get("method") == "workspace/applyEdit" or
                 (m.get("method") == "window/showMessage" and m["params"]["message"].startswith("fix: ")), 120)
        if m and m.get("method") == "workspace/applyEdit":
            acted = {"edit": m["params"]["edit"]}
            send({"jsonrpc": "2.0", "id": m["id"], "result": {"applied": False}})
        elif m:
            acted = {"shown": m["params"]["message"]}
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
wait(lambda m: m.get("id") == 2, 20)
send({"jsonrpc": "2.0", "method": "exit"})
try:
    proc.wait(20)
except subprocess.TimeoutExpired:
    proc.kill()
time.sleep(0.2)
shown = [m["params"]["message"] for m in seen if m.get("method") == "window/showMessage"]
published = [m["params"] for m in seen if m.get("method") == "textDocument/publishDiagnostics"]
print(json.dumps({"checks": checks, "shown": shown, "published": published, "acted": acted, "stderr": "".join(err)}))
