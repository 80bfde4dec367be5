"""Records what the docker CLI prints for the image commands the golden tests cover, together with the daemon's
API answers, into one JSON file (usage: record.py OUT.json, with the private engine from scripts/engines running).
Run it several times: docker walks Go maps when grouping an image's repositories, so only some runs print them in
the order of first appearance that dockhand uses."""
import json, subprocess, os, time, sys
env = dict(os.environ)
sock = "/tmp/dockhand-engines/docker.sock"
env["DOCKER_HOST"] = "unix://" + sock
env["DOCKER_CONFIG"] = os.environ.get("DOCKER_CONFIG", "/tmp/dockhand-record-config")
env["TZ"] = "UTC"
def api(path):
    out = subprocess.run(["curl", "-s", "--unix-socket", sock, "http://x/v1.41" + path], capture_output=True, text=True).stdout
    return json.loads(out)
def docker(*args):
    t = time.time()
    p = subprocess.run(["docker", *args], capture_output=True, text=True, env=env)
    return {"args": list(args), "stdout": p.stdout, "stderr": p.stderr, "rc": p.returncode, "t": t, "t2": time.time()}
T = "{{.ID}}\\t{{.Repository}}\\t{{.Containers}}\\t{{.SharedSize}}\\t{{.UniqueSize}}\\t{{.VirtualSize}}\\t{{.CreatedAt}}"
ls_cmds = [
  ["image", "ls"], ["image", "ls", "--digests"], ["image", "ls", "--no-trunc"], ["image", "ls", "-q"],
  ["image", "ls", "-q", "--no-trunc"], ["image", "ls", "--format", "json"], ["image", "ls", "--format", "json", "--digests"],
  ["image", "ls", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}}"], ["image", "ls", "--format", "table " + T],
  ["image", "ls", "--format", "table {{.Repository}}", "--digests"], ["image", "ls", "--format", "raw"],
  ["image", "ls", "--format", "raw", "--digests"], ["image", "ls", "--format", "{{.}}"],
  ["image", "ls", "--format", "table {{.Repository}}\\t{{.Tag}}\\t{{.Size}}", "--digests"],
  ["image", "ls", "--digests", "--no-trunc", "--format", "table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.ID}}"],
]
lsa_cmds = [["image", "ls", "-a"], ["image", "ls", "-a", "-q"]]
hist_refs = ["dockhand-fmt/wide:1", "dockhand-fmt/old:1", "127.0.0.1:5000/dockhand-fmt/old:1", "dockhand-fmt/zero:epoch", "dockhand-fmt/future:2030", "dockhand-fmt/big:v1.2.3-rc.1"]
hist_variants = [[], ["--no-trunc"], ["-H=false"], ["-q"], ["--format", "json"], ["--format", "table {{.ID}}\\t{{.CreatedBy}}\\t{{.CreatedAt}}"], ["--format", "{{.}}"], ["-H=false", "--no-trunc"]]
now = time.time()
res = {"now": now, "images": api("/images/json"), "imagesAll": api("/images/json?all=1"), "history": {}, "ls": [], "lsa": [], "hist": []}
for r in hist_refs:
    res["history"][r] = api("/images/" + r + "/history")
for c in ls_cmds: res["ls"].append(docker(*c))
for c in lsa_cmds: res["lsa"].append(docker(*c))
for r in hist_refs:
    for v in hist_variants: res["hist"].append(docker("history", *v, r))
res["df"] = api("/system/df")
res["dfcmd"] = [docker("system", "df"), docker("system", "df", "-v"), docker("system", "df", "--format", "json")]
res["end"] = time.time()
json.dump(res, open(sys.argv[1], "w"), indent=1)
print("captured in", res["end"] - now)
