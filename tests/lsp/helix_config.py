"""helix_config.py — editors/helix/languages.toml parses and wires fix into C, C++ and Rust
(Helix itself is not packaged for Debian 12, so its config is checked as data)."""
import sys
import tomllib

with open(sys.argv[1], "rb") as f:
    cfg = tomllib.load(f)
server = cfg["language-server"]["fix"]
assert server["command"] == "fix" and server["args"] == ["lsp"], server
assert isinstance(server.get("config", {}), dict)
langs = {l["name"]: l["language-servers"] for l in cfg["language"]}
for name in ("c", "cpp", "rust"):
    assert "fix" in langs[name], (name, langs.get(name))
print("helix: languages.toml wires fix into", ", ".join(sorted(langs)))
