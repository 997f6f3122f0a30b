#!/usr/bin/env python3
"""Cold-start figures for the Lambda bootstrap (see coldstart.sh, which builds the binaries first).

For each run: start the bootstrap as a fresh process against a loopback Runtime API that also answers SSM
GetParameter (AWS_ENDPOINT_URL), hand it one Validate invocation, and measure from just before the process is
spawned to the moment its /response arrives. Peak memory is VmHWM from /proc/<pid>/status, read while the process
waits on its next long poll. Prints one JSON object per variant.
"""
import http.server
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time

TOPOLOGY = {
    "application": "web",
    "blue": {"autoScalingGroupName": "web-blue", "targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/1", "launchTemplateId": "lt-0123456789abcdef0"},
    "green": {"autoScalingGroupName": "web-green", "targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green/2", "launchTemplateId": "lt-0fedcba9876543210"},
    "listenerArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2",
    "alarmNames": ["web-5xx"],
    "bakeProject": "phoenix-bake",
    "defaultCapacity": 2,
}
PAYLOAD = json.dumps({"request": {"application": "web"}}).encode()


class State:
    def __init__(self):
        self.invocations = queue.Queue()
        self.responses = queue.Queue()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, *args):
        pass

    def _reply(self, status, body, content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/2018-06-01/runtime/invocation/next":
            request_id = self.state.invocations.get()
            if request_id is None:
                self.close_connection = True
                return
            deadline = str(int((time.time() + 60) * 1000))
            self._reply(200, PAYLOAD, headers={
                "Lambda-Runtime-Aws-Request-Id": request_id,
                "Lambda-Runtime-Deadline-Ms": deadline,
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:eu-west-1:123456789012:function:phoenix-Validate",
                "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0",
            })
        else:
            self._reply(404, b"{}")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        target = self.headers.get("X-Amz-Target")
        if target == "AmazonSSM.GetParameter":
            name = json.loads(body)["Name"]
            value = json.dumps(TOPOLOGY)
            reply = {"Parameter": {"Name": name, "Type": "String", "Value": value, "Version": 1}}
            self._reply(200, json.dumps(reply).encode(), "application/x-amz-json-1.1")
            return
        if self.path.startswith("/2018-06-01/runtime/invocation/"):
            self.state.responses.put((time.perf_counter(), self.path, body))
            self._reply(202, b'{"status":"OK"}')
            return
        if self.path == "/2018-06-01/runtime/init/error":
            self.state.responses.put((time.perf_counter(), self.path, body))
            self._reply(202, b'{"status":"OK"}')
            return
        self._reply(404, b"{}")


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def measure(command, runs):
    state = State()
    Handler.state = state
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"127.0.0.1:{server.server_address[1]}"
    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": address,
        "_HANDLER": "Validate",
        "PHOENIX_TABLE": "phoenix-figures",
        "AWS_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "AWS_ENDPOINT_URL": f"http://{address}",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    first_response_ms, peak_kib = [], []
    try:
        for run in range(runs):
            state.invocations.put(f"run-{run}")
            started = time.perf_counter()
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            arrived, path, body = state.responses.get(timeout=120)
            if not path.endswith("/response"):
                raise SystemExit(f"{command[0]}: run {run} posted {path}: {body.decode()}")
            first_response_ms.append((arrived - started) * 1000)
            time.sleep(0.05)  # let it reach its next long poll, so VmHWM covers the whole first invocation
            peak_kib.append(vm_hwm_kib(process.pid))
            process.kill()
            process.wait()
            state.invocations.put(None)  # release the poll the killed process left behind
    finally:
        server.shutdown()
    return {
        "runs": runs,
        "firstResponseMs": {
            "median": round(statistics.median(first_response_ms), 1),
            "min": round(min(first_response_ms), 1),
            "max": round(max(first_response_ms), 1),
        },
        "peakRssMiB": round(statistics.median(peak_kib) / 1024, 1),
    }


def main():
    if len(sys.argv) < 4:
        raise SystemExit("usage: coldstart.py RUNS AOT_BINARY JIT_DLL")
    runs, aot, jit = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if runs < 1:
        raise SystemExit(f"RUNS must be at least 1, got {runs}")
    for name, command in (("aot", [aot]), ("jit", ["dotnet", jit])):
        result = measure(command, runs)
        result["variant"] = name
        print(json.dumps(result))


if __name__ == "__main__":
    main()
