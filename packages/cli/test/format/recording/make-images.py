"""Builds the docker-archive tarballs behind ImageFormat.recorded.test.ts: images with fixed creation times and
hand-written histories, so that recorded ages ("2 years ago", "N/A") stay valid. Usage: make-images.py OUTDIR,
then `docker load -i OUTDIR/<name>.tar` for each, and push/pull through a local registry for the digests
(see README.md)."""
import hashlib, io, json, tarfile, sys, os

def layer(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, size in files:
            info = tarfile.TarInfo(name)
            info.size = size
            info.mtime = 1700000000
            t.addfile(info, io.BytesIO(b"x" * size))
    return buf.getvalue()

def image(out, repo_tags, created, layers, history, labels=None, env=None, cmd=None):
    blobs = {}
    diff_ids = []
    layer_paths = []
    for files in layers:
        data = layer(files)
        h = hashlib.sha256(data).hexdigest()
        diff_ids.append("sha256:" + h)
        layer_paths.append(h + "/layer.tar")
        blobs[h + "/layer.tar"] = data
    config = {
        "architecture": "amd64", "os": "linux", "created": created,
        "config": {"Env": env or ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": cmd or ["/bin/sh"], "Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }
    cj = json.dumps(config).encode()
    ch = hashlib.sha256(cj).hexdigest()
    blobs[ch + ".json"] = cj
    manifest = [{"Config": ch + ".json", "RepoTags": repo_tags, "Layers": layer_paths}]
    blobs["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(out, "w") as t:
        for name, data in blobs.items():
            info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 1700000000
            t.addfile(info, io.BytesIO(data))
    print(out, "sha256:" + ch)

d = sys.argv[1] if len(sys.argv) > 1 else "."
# A: two layers, rich history
image(f"{d}/old.tar", ["dockhand-fmt/old:1", "dockhand-fmt/old:2", "dockhand-fmt/alias:latest"], "2024-03-01T10:00:00Z",
  [[("bin/tool", 1234567)], [("etc/conf", 1000)]],
  [
    {"created": "1999-12-31T23:59:59Z", "created_by": "/bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9d0c5b7a6e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d in / ", "comment": "ancient base"},
    {"created": "2024-02-29T23:59:59Z", "created_by": "/bin/sh -c #(nop)  ENV GREETING=héllo wörld 日本語 and then some more text", "empty_layer": True},
    {"created": "2024-03-01T09:59:00Z", "created_by": "/bin/sh -c printf 'a\\tb' > /etc/conf\t&& echo \"<done> & dusted\"", "comment": "buildkit.dockerfile.v0"},
    {"created": "2024-03-01T10:00:00Z", "created_by": "CMD [\"/bin/sh\"]", "empty_layer": True, "comment": "tab\there"},
  ],
  labels={"org.example.label": "a<b>&c", "maintainer": "Dock Hand <dh@example.com>"})
# B: zero created time
image(f"{d}/zero.tar", ["dockhand-fmt/zero:epoch"], "0001-01-01T00:00:00Z", [[("z", 999999)]],
  [{"created": "0001-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) COPY z /"}])
# C: future created time
image(f"{d}/future.tar", ["dockhand-fmt/future:2030"], "2030-06-15T12:00:00Z", [[("f", 1125)]],
  [{"created": "2030-06-15T12:00:00Z", "created_by": "/bin/sh -c #(nop) COPY f /"}])
# D: dangling (no tags), 1 GB-ish sparse-free small size 0
image(f"{d}/dangling.tar", [], "2025-11-20T08:30:00Z", [[]],
  [{"created": "2025-11-20T08:30:00Z", "created_by": "/bin/sh -c #(nop) WORKDIR /"}])
# E: a larger multi-layer image for size formatting
image(f"{d}/big.tar", ["dockhand-fmt/big:v1.2.3-rc.1"], "2026-11-01T00:00:00Z", [[("a", 123456789)], [("b", 5)]],
  [{"created": "2026-10-31T23:00:00Z", "created_by": "/bin/sh -c #(nop) ADD a /"}, {"created": "2026-11-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD b /"}])
# F: display-width edge cases in history
image(f"{d}/wide.tar", ["dockhand-fmt/wide:1"], "2025-06-01T00:00:00Z", [[("w", 42)]],
  [{"created": "2025-05-31T00:00:01Z", "created_by": "日本語日本語日本語日本語日本語日本語日本語日本語日本語", "empty_layer": True},
   {"created": "2025-05-31T00:00:02Z", "created_by": "/bin/sh -c echo 0123456789012345678901234567890123456789 日本", "empty_layer": True},
   {"created": "2025-05-31T00:00:03Z", "created_by": "/bin/sh -c echo 01234567890123456789012345678901234567890 日本", "empty_layer": True},
   {"created": "2025-05-31T00:00:04Z", "created_by": "whale 🐳🐳🐳 and e\u0301e\u0301 combining then\ttabs\tand more and more", "empty_layer": True},
   {"created": "2025-05-31T00:00:05Z", "created_by": "exactly forty-five characters long, no cut!!", "empty_layer": True, "comment": "日本語 comment"},
   {"created": "2025-06-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) COPY w /", "comment": "🐳"}])
