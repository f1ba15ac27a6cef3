"""Is a quoted span something to type? Shared by the importer and the matcher.

``npm ci``, ``kubectl get pods -A``, ``$ sudo apt-get install ruby-dev``: docs quote commands in
the same backticks as error messages; only the messages are what a failing log prints.
"""

from __future__ import annotations

# Programs whose name opens a command line a doc tells the reader to type (``npm ci``).
COMMAND_NAMES = frozenset((
    "npm", "npx", "yarn", "pnpm", "bun", "node", "deno", "pip", "pip3", "pipx", "python",
    "python3", "py", "poetry", "uv", "conda", "go", "cargo", "rustup", "rustc", "git", "docker",
    "podman", "kubectl", "helm", "kind", "minikube", "make", "cmake", "gcc", "clang", "mvn",
    "gradle", "java", "javac", "ruby", "gem", "bundle", "rake", "rails", "brew", "apt",
    "apt-get", "yum", "dnf", "pacman", "apk", "snap", "sudo", "cd", "ls", "cat", "export", "set",
    "echo", "curl", "wget", "ssh", "scp", "systemctl", "journalctl", "service", "terraform",
    "ansible", "vagrant", "dotnet", "nuget", "composer", "php", "mix", "elixir", "swift",
    "xcodebuild", "flutter", "dart", "gh", "az", "aws", "gcloud", "openssl", "chmod", "chown",
    "mkdir", "rm", "cp", "mv", "ln", "tar", "unzip", "sed", "grep", "awk", "find", "kill", "ps",
    "top", "ulimit", "sysctl", "mount", "source", "env", "wsl", "ip", "ifconfig", "ping",
    "nslookup", "dig",
))


def looks_like_command(text: str) -> bool:
    """A quoted span that is something to type (``npm ci``, ``kubectl get pods -A``)."""
    stripped = text.strip()
    if stripped.startswith(("$ ", "sudo ", "./", "--")) or " --" in stripped or " -" in stripped:
        return True
    first = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    return first in COMMAND_NAMES and len(stripped.split()) > 1
