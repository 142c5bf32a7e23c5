import Foundation

/// Headless Chromium driven over its DevTools pipe, for the tests that need a browser.
enum HeadlessChromium {
    /// What `--virtual-time-budget --dump-dom` does, except that `/stream` is answered 204:
    /// an event stream never finishes, and virtual time waits for every fetch to finish, so
    /// with a live stream open the budget would never run out. An `EventSource` takes 204 as
    /// "no stream here" and stops. Arguments: the page URL, the budget in milliseconds.
    static let domDriver = #"""
import json, os, subprocess, sys, tempfile
url, budget = sys.argv[1], int(sys.argv[2])
to_r, to_w = os.pipe()
from_r, from_w = os.pipe()
profile = tempfile.mkdtemp(prefix="liveblog-chromium-")
def child():
    # Chromium reads commands on fd 3 and writes on fd 4; dup2 clears close-on-exec.
    r, w = os.dup(to_r), os.dup(from_w)
    os.dup2(r, 3); os.dup2(w, 4)
chrome = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank"],
                          preexec_fn=child, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_r); os.close(from_w)
out = os.fdopen(to_w, "wb", buffering=0); inp = os.fdopen(from_r, "rb", buffering=0)
buf = b""; last = 0; session = None; events = []
def send(method, params=None):
    global last
    last += 1
    msg = {"id": last, "method": method, "params": params or {}}
    if session: msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    return last
def receive():
    global buf
    while b"\0" not in buf:
        chunk = inp.read(65536)
        if not chunk: raise SystemExit("chromium closed its pipe")
        buf += chunk
    raw, buf = buf.split(b"\0", 1)
    return json.loads(raw)
def call(method, params=None):
    wanted = send(method, params)
    while True:
        msg = receive()
        if msg.get("id") == wanted:
            if "error" in msg: raise SystemExit(f"{method}: {msg['error']}")
            return msg["result"]
        events.append(msg)
try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    # An event stream never finishes, so virtual time would wait on it forever: it is
    # answered 204, which an EventSource takes as "no stream here" and does not retry.
    call("Fetch.enable", {"patterns": [{"urlPattern": "*/stream*", "requestStage": "Request"}]})
    call("Page.navigate", {"url": url})
    call("Emulation.setVirtualTimePolicy", {"policy": "pauseIfNetworkFetchesPending", "budget": budget})
    while True:
        msg = events.pop(0) if events else receive()
        method = msg.get("method")
        if method == "Fetch.requestPaused":
            call("Fetch.fulfillRequest", {"requestId": msg["params"]["requestId"], "responseCode": 204, "responseHeaders": []})
        elif method == "Emulation.virtualTimeBudgetExpired":
            html = call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML", "returnByValue": True})
            if "value" not in html["result"]: raise SystemExit(f"no DOM: {html}")
            sys.stdout.write("<!DOCTYPE html>\n" + html["result"]["value"] + "\n")
            break
finally:
    chrome.kill(); chrome.wait()
"""#

    /// The DOM once the page's script has run for `budgetMilliseconds` of virtual time.
    static func renderedDOM(_ url: String, budgetMilliseconds: Int) throws -> (status: Int32, output: String) {
        try ChildProcess.run("/usr/bin/timeout", ["60", "python3", "-c", domDriver, url, String(budgetMilliseconds)])
    }
}
