"""The processes and HTTP calls the monitoring tests need: tools found, ports, waiting."""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request


def tool(variable, *names):
    """The tool's path from the environment or PATH, or None."""
    if os.environ.get(variable):
        return os.environ[variable]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def run(command, cwd=None):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode()


def api(base, path, **params):
    """A Prometheus or Alertmanager API answer, decoded (an error's too: it says why)."""
    query = ("?" + urllib.parse.urlencode(params)) if params else ""
    try:
        return json.loads(http_get(base + path + query)[1])
    except urllib.error.HTTPError as error:
        return json.loads(error.read().decode())


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
