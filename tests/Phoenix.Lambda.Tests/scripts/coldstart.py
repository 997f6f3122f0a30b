#!/usr/bin/env python3
"""Cold-start figures for the Lambda bootstrap (see coldstart.sh, which builds the binaries first).

For each run: start the bootstrap as a fresh process against a loopback Runtime API that also answers SSM
GetParameter (AWS_ENDPOINT_URL), hand it one Validate invocation, and measure from just before the process is
spawned to the moment its /response arrives. The variants (AOT, JIT, optionally the floor) take turns run after
run. Peak memory is VmHWM from /proc/<pid>/status, read while the process waits on its next long poll. Prints one
JSON object per variant, then the two medians and JIT/AOT.
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
    # BaseHTTPRequestHandler writes the headers and the body in two sends; with Nagle on, the body waits for the
    # client's delayed ACK (40 ms on Linux) before it leaves. Lambda's Runtime API and AWS endpoints answer at once,
    # so the figure would measure this server, not the bootstrap.
    disable_nagle_algorithm = True
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


def run_once(command, env, state, request_id):
    """One cold start: spawn, hand out one invocation, time its /response; returns (ms, peak KiB)."""
    state.invocations.put(request_id)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        arrived, path, body = state.responses.get(timeout=120)
        if not path.endswith("/response"):
            raise SystemExit(f"{command[-1]}: {request_id} posted {path}: {body.decode()}")
        time.sleep(0.05)  # let it reach its next long poll, so VmHWM covers the whole first invocation
        return (arrived - started) * 1000, vm_hwm_kib(process.pid)
    finally:
        process.kill()
        process.wait()
        state.invocations.put(None)  # release the poll the killed process left behind


def summary(samples):
    times = [ms for ms, _ in samples]
    return {
        "runs": len(samples),
        "firstResponseMs": {
            "median": round(statistics.median(times), 1),
            "min": round(min(times), 1),
            "max": round(max(times), 1),
        },
        "peakRssMiB": round(statistics.median(kib for _, kib in samples) / 1024, 1),
    }


def measure(variants, runs):
    """Runs the variants in turn, run after run, so a change in the machine's load falls on all of them alike."""
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
    samples = {name: [] for name, _ in variants}
    try:
        for run in range(runs):
            for name, command in variants:
                samples[name].append(run_once(command, env, state, f"{name}-{run}"))
    finally:
        server.shutdown()
    return {name: summary(values) for name, values in samples.items()}


def main():
    if len(sys.argv) not in (4, 5):
        raise SystemExit("usage: coldstart.py RUNS AOT_BINARY JIT_DLL [FLOOR_BINARY]")
    runs, aot, jit = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if runs < 1:
        raise SystemExit(f"RUNS must be at least 1, got {runs}")
    variants = [("aot", [aot]), ("jit", ["dotnet", jit])]
    if len(sys.argv) == 5:
        variants.append(("floor", [sys.argv[4]]))
    results = measure(variants, runs)
    for name, result in results.items():
        print(json.dumps({"variant": name, **result}))
    aot_ms, jit_ms = results["aot"]["firstResponseMs"]["median"], results["jit"]["firstResponseMs"]["median"]
    print(json.dumps({"aotMedianMs": aot_ms, "jitMedianMs": jit_ms, "jitOverAot": round(jit_ms / aot_ms, 1)}))


if __name__ == "__main__":
    main()
