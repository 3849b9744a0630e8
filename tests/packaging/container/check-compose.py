#!/usr/bin/env python3
"""packaging/compose.yaml, the local cluster, as compose reads it: three veza-server instances of
this version's image sharing PostgreSQL, Redis and their secrets, each advertising its own
address, on host ports of their own, stopped with time to drain; PostgreSQL, Redis, Prometheus
and Alertmanager beside them; and each instance's environment accepted by the server itself
(veza-server --check-config). Containers cannot start everywhere (nor pull their images), so
the file is checked, not run.
Usage: check-compose.py SOURCE_DIR VEZA_SERVER_BINARY"""
import os
import re
import subprocess
import sys

import yaml

root, server = sys.argv[1], sys.argv[2]
problems = []


def expect(condition, problem):
    if not condition:
        problems.append(problem)


def interpolate(value):
    """${NAME:-default} and ${NAME} as compose expands them, from this environment."""
    def substitute(match):
        return os.environ.get(match.group(1)) or (match.group(3) or "")
    return re.sub(r"\$\{(\w+)(:-([^}]*))?\}", substitute, str(value))


def seconds(duration):
    match = re.fullmatch(r"(\d+)s", str(duration))
    return int(match.group(1)) if match else 0


version = re.search(r"project\(veza VERSION ([0-9.]+)",
                    open(os.path.join(root, "CMakeLists.txt")).read()).group(1)
compose_file = os.path.join(root, "packaging", "compose.yaml")
services = yaml.safe_load(open(compose_file))["services"]

for name in ["postgres", "redis", "prometheus", "alertmanager"]:
    expect(name in services, f"no {name} service")
instances = sorted(name for name in services if name.startswith("veza-"))
expect(instances == ["veza-1", "veza-2", "veza-3"], f"veza instances: {instances}")

environments = {}
host_ports = []
for name in instances:
    service = services[name]
    environment = {key: interpolate(value) for key, value in service.get("environment", {}).items()}
    environments[name] = environment
    expect(service.get("image") == f"localhost/veza-server:{version}",
           f"{name}: image {service.get('image')}, expected localhost/veza-server:{version}")
    expect(environment.get("DATABASE_URL", "").startswith("postgresql://")
           and "@postgres:" in environment.get("DATABASE_URL", ""),
           f"{name}: DATABASE_URL is not the postgres service's")
    expect(environment.get("REDIS_URL", "").startswith("redis://redis"),
           f"{name}: REDIS_URL is not the redis service's")
    expect(environment.get("ADVERTISE_URL") == f"http://{name}:8080",
           f"{name}: ADVERTISE_URL {environment.get('ADVERTISE_URL')}, expected http://{name}:8080")
    expect(seconds(service.get("stop_grace_period")) > 30,
           f"{name}: stop_grace_period {service.get('stop_grace_period')} leaves no time to drain")
    host_ports += [str(port).split(":")[0] for port in service.get("ports", [])]
    expect(any(str(port).endswith(":8080") for port in service.get("ports", [])),
           f"{name}: its HTTP port is not published")
expect(len(host_ports) == len(set(host_ports)), f"host ports published twice: {host_ports}")
for secret in ["JWT_SECRET", "ENCRYPTION_KEY"]:
    values = {environment.get(secret) for environment in environments.values()}
    expect(len(values) == 1 and None not in values,
           f"{secret} differs between instances (tokens and sealed rows must be shared)")

for config, service in [("prometheus/prometheus.yml", "prometheus"),
                        ("alertmanager/alertmanager.yml", "alertmanager")]:
    command = " ".join(services.get(service, {}).get("command", []))
    expect(f"/etc/{config}" in command, f"{service} does not read /etc/{config}")
    if not os.path.exists(os.path.join(root, "packaging", config)):
        print(f"note: packaging/{config} is not in this checkout: {service} would not start")

# Each instance's environment as the server reads it.
for name, environment in environments.items():
    run = subprocess.run([server, "--check-config"], env={"PATH": os.environ["PATH"], **environment},
                         capture_output=True, text=True, timeout=30)
    expect(run.returncode == 0,
           f"{name}: veza-server --check-config refuses its environment: {run.stderr.strip()}")

for problem in problems:
    print("FAIL:", problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"compose.yaml: {', '.join(instances)} (localhost/veza-server:{version}), postgres, redis, "
      "prometheus, alertmanager: ok; each instance's environment passes --check-config")
