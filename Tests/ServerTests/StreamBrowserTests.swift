import Foundation
import Glibc
import XCTest

/// A real browser on `/stream`: headless Chromium opens a small page that listens with
/// `EventSource`, and an article written to the folder after the page loaded shows on it.
final class StreamBrowserTests: XCTestCase {
    /// The page a newsroom might write: each update event puts its headline on top.
    static func page(port: UInt16) -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Live</title></head>
        <body><h1>Live updates</h1><p id="state">connecting</p><ul id="updates"></ul>
        <script>
        const source = new EventSource("http://127.0.0.1:\(port)/stream");
        source.onopen = () => { document.getElementById("state").textContent = "open"; };
        source.addEventListener("update", (event) => {
          const update = JSON.parse(event.data);
          const item = document.createElement("li");
          item.className = "update";
          item.textContent = update.headline;
          document.getElementById("updates").prepend(item);
        });
        </script></body></html>
        """
    }

    /// Drives Chromium over its DevTools pipe (fds 3 and 4, JSON messages ending in NUL):
    /// opens the page, says `open` once the EventSource is open, then waits until the
    /// expected headline is on the page. Arguments: page URL, headline, timeout in seconds,
    /// and optionally the JavaScript that reads the page's state and its headlines, and a
    /// path for a PNG screenshot of the page once the headline shows.
    static let driver = #"""
import base64, json, os, subprocess, sys, tempfile, time
page, expected, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
state_js = sys.argv[4] if len(sys.argv) > 4 else "document.getElementById('state') ? document.getElementById('state').textContent : ''"
items_js = sys.argv[5] if len(sys.argv) > 5 else "Array.from(document.querySelectorAll('li.update')).map(li => li.textContent)"
screenshot = sys.argv[6] if len(sys.argv) > 6 else None
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
profile = tempfile.mkdtemp(prefix="liveblog-chromium-")
def child():
    # Chromium reads commands on fd 3 and writes replies on fd 4; dup2 clears close-on-exec.
    r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(r, 3); os.dup2(w, 4)
chrome = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                           "--user-data-dir=" + profile, "--no-first-run", "about:blank"],
                          preexec_fn=child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False)
os.close(to_chrome_r); os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0); inp = os.fdopen(from_chrome_r, "rb", buffering=0)
buf = b""; next_id = 0
def call(method, params=None, session=None):
    global buf, next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session: msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" not in buf:
            chunk = inp.read(65536)
            if not chunk: raise SystemExit("chromium closed its pipe")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == next_id:
            if "error" in reply: raise SystemExit(f"{method}: {reply['error']}")
            return reply["result"]
try:
    target = call("Target.createTarget", {"url": page})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    def evaluate(expr):
        return call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)["result"].get("value")
    deadline = time.time() + timeout
    said_open = False
    while time.time() < deadline:
        state = evaluate(state_js)
        if state == "open" and not said_open:
            print("open", flush=True); said_open = True
        items = evaluate(items_js) or []
        if expected in items:
            if screenshot:
                call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
                shot = call("Page.captureScreenshot", {"format": "png"}, session)
                open(screenshot, "wb").write(base64.b64decode(shot["data"]))
            print("shown: " + json.dumps(items), flush=True); sys.exit(0)
        time.sleep(0.1)
    print("timeout; state " + str(state) + "; items " + json.dumps(items), flush=True); sys.exit(1)
finally:
    chrome.kill(); chrome.wait()
"""#

    func testAnEventSourcePageShowsAnUpdateWrittenAfterItLoaded() throws {
        guard TestCertificates.which("chromium") != nil else {
            throw Failure("this test needs Chromium: run scripts/require --test (apt-get install chromium)")
        }
        guard let python = TestCertificates.which("python3") else { throw Failure("this test needs python3 on PATH") }
        let server = try LiveblogProcess(articles: try TestCorpus.make(articles: [StreamEndToEndTests.article("520_before", count: 1)]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liveblog-page-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("live.html")
        try Self.page(port: server.port).write(to: page, atomically: true, encoding: .utf8)

        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: python)
        browser.arguments = ["-c", Self.driver, page.absoluteString, "Lifeboat crew honoured 0", "30"]
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        defer { if browser.isRunning { browser.terminate() } }
        var text = ""
        while !text.contains("open\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw Failure("the page never opened its EventSource: \(text)") }
            text += String(decoding: data, as: UTF8.self)
        }
        try StreamEndToEndTests.publish(StreamEndToEndTests.article("521_after", count: 1, headline: "Lifeboat crew honoured"), to: server)
        text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        XCTAssertEqual(browser.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("shown: [\"Lifeboat crew honoured 0\"]"), text)
    }
}
