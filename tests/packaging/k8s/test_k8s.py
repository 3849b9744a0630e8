#!/usr/bin/env python3
"""packaging/k8s: the overlays render, and what they deploy agrees with the server itself.

Renders overlays/development and overlays/production with `kubectl kustomize` (kubectl >= 1.21
on PATH, or VEZA_KUBECTL) and with mini_kustomize.py, which must agree with it; where no such
kubectl exists (a fresh Debian machine: bookworm's kubectl is 1.20), with mini_kustomize.py
alone. Then checks each rendering against the production guide, docs/configuration.md,
docs/protocol.md, `veza-server --check-config` and a started veza-server.

Environment: VEZA_SOURCE_DIR (the checkout), VEZA_SERVER_BINARY (build/server/veza-server).
"""

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mini_kustomize  # noqa: E402

SOURCE_DIR = os.environ.get("VEZA_SOURCE_DIR",
                            os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
SERVER = os.environ.get("VEZA_SERVER_BINARY", os.path.join(SOURCE_DIR, "build/server/veza-server"))
K8S_DIR = os.path.join(SOURCE_DIR, "packaging/k8s")
OVERLAYS = ("development", "production")

# Current API versions; anything else (extensions/v1beta1, autoscaling/v1, policy/v1beta1, ...)
# is refused, as is a kind not listed.
API_VERSIONS = {
    "Deployment": "apps/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
    "PodDisruptionBudget": "policy/v1",
    "NetworkPolicy": "networking.k8s.io/v1",
    "Ingress": "networking.k8s.io/v1",
    "Service": "v1",
    "ConfigMap": "v1",
    "Secret": "v1",
    "PersistentVolumeClaim": "v1",
}
# Container and Service port names (the project's convention) and the variable each follows.
PORT_VARIABLES = {"http": "PORT", "ws": "WS_PORT", "metrics": "PROMETHEUS_PORT"}
POD_LABEL = ("app.kubernetes.io/name", "veza-server")
GENERATED_SUFFIX = re.compile(r"-[a-z0-9]{10}$")


def kubectl_with_kustomize():
    """A kubectl whose kustomize reads `patches` (>= 1.21, kustomize v4), or None and why."""
    kubectl = os.environ.get("VEZA_KUBECTL") or shutil.which("kubectl")
    if not kubectl:
        return None, "no kubectl on PATH"
    try:
        out = subprocess.run([kubectl, "version", "--client", "-o", "json"], check=True,
                             capture_output=True, text=True, timeout=60).stdout
        version = json.loads(out)["clientVersion"]
        major, minor = int(version["major"]), int(re.match(r"\d+", version["minor"]).group())
    except (subprocess.SubprocessError, OSError, ValueError, KeyError, AttributeError) as error:
        return None, f"{kubectl}: cannot read its version ({error})"
    if (major, minor) < (1, 21):
        return None, (f"{kubectl} is {major}.{minor}: its kustomize (v2) cannot read `patches` "
                      f"(Debian bookworm's kubernetes-client)")
    return kubectl, version["gitVersion"]


def without_hash_suffixes(objects):
    """kubectl's objects with the generated ConfigMap/Secret names' hash suffix removed."""
    renames = {}
    for obj in objects:
        name = obj["metadata"]["name"]
        if obj["kind"] in ("ConfigMap", "Secret") and GENERATED_SUFFIX.search(name):
            renames[name] = GENERATED_SUFFIX.sub("", name)

    def rename(node):
        if isinstance(node, dict):
            return {k: rename(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rename(v) for v in node]
        return renames.get(node, node) if isinstance(node, str) else node
    return [rename(o) for o in objects]


def by_kind_and_name(objects):
    """Objects by kind and name, Secret values decoded (kustomize wraps long base64 lines)."""
    keyed = {}
    for obj in objects:
        if obj["kind"] == "Secret":
            obj = {**obj, "data": {k: base64.b64decode(v).decode()
                                   for k, v in obj.get("data", {}).items()}}
        keyed[(obj["kind"], obj["metadata"]["name"])] = obj
    return keyed


def render(path, kubectl):
    """The objects of the kustomization at PATH; mini_kustomize.py must agree with kubectl."""
    ours = mini_kustomize.build(path)
    if not kubectl:
        return ours
    out = subprocess.run([kubectl, "kustomize", path], capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"kubectl kustomize {path} failed:\n{out.stderr}")
    if out.stderr.strip():
        raise AssertionError(f"kubectl kustomize {path} warns:\n{out.stderr}")
    theirs = [d for d in yaml.safe_load_all(out.stdout) if d]
    if by_kind_and_name(without_hash_suffixes(theirs)) != by_kind_and_name(ours):
        raise AssertionError(
            f"mini_kustomize.py renders {path} differently from kubectl kustomize: fix "
            f"mini_kustomize.py (the fallback of machines without kubectl >= 1.21)")
    return theirs


def documented_variables():
    """{name: secret?} for every row of docs/configuration.md's variable tables."""
    variables = {}
    in_table = False
    with open(os.path.join(SOURCE_DIR, "docs/configuration.md"), encoding="utf-8") as doc:
        for line in doc:
            if line.startswith("| Variable | Default | Active | Meaning |"):
                in_table = True
                continue
            if not line.startswith("|"):
                in_table = False
                continue
            match = re.match(r"\| `([A-Z0-9_]+)` \|", line)
            if in_table and match:
                variables[match.group(1)] = "Secret: never printed" in line
    return variables


def websocket_paths():
    """The WebSocket endpoints' first path segments, from docs/protocol.md's table."""
    with open(os.path.join(SOURCE_DIR, "docs/protocol.md"), encoding="utf-8") as doc:
        text = doc.read()
    table = text.split("## WebSocket endpoints", 1)[1].split("\n## ", 1)[0]
    paths = set(re.findall(r"^\| `(/[a-z]+)[/`{]", table, re.MULTILINE))
    return paths


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(port, path, timeout=5):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def websocket_upgrade_status(port, path):
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request.encode())
        status_line = connection.recv(4096).decode(errors="replace").split("\r\n", 1)[0]
    return int(status_line.split()[1])


def server_version():
    # "veza-server 0.1.0 (commit 7cf953e9701d)": the version is the second word.
    out = subprocess.run([SERVER, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split()[1]


def generate_secret(*openssl_args):
    """A secret as docs/operations.md tells operators to make it."""
    return subprocess.run(["openssl", "rand", *openssl_args], capture_output=True, text=True,
                          check=True).stdout.strip()


class Rendered:
    """One overlay's objects, with the lookups the checks share."""

    def __init__(self, overlay, objects):
        self.overlay = overlay
        self.objects = objects
        self.by_kind = {}
        for obj in objects:
            self.by_kind.setdefault(obj["kind"], []).append(obj)

    def one(self, kind):
        found = self.by_kind.get(kind, [])
        if len(found) != 1:
            raise AssertionError(f"{self.overlay}: {len(found)} {kind} objects, expected one")
        return found[0]

    @property
    def deployment(self):
        return self.one("Deployment")

    @property
    def container(self):
        return self.deployment["spec"]["template"]["spec"]["containers"][0]

    def named(self, kind, name):
        for obj in self.by_kind.get(kind, []):
            if obj["metadata"]["name"] == name:
                return obj
        raise AssertionError(f"{self.overlay}: no {kind} named {name}")

    @property
    def config(self):
        ref = [e["configMapRef"]["name"] for e in self.container["envFrom"] if "configMapRef" in e]
        return self.named("ConfigMap", ref[0])["data"]

    @property
    def secrets(self):
        ref = [e["secretRef"]["name"] for e in self.container["envFrom"] if "secretRef" in e]
        data = self.named("Secret", ref[0]).get("data", {})
        return {k: base64.b64decode(v).decode() for k, v in data.items()}

    @property
    def environment(self):
        return {**self.config, **self.secrets}

    def container_port(self, name_or_number):
        for port in self.container["ports"]:
            if name_or_number in (port["name"], port["containerPort"]):
                return port
        raise AssertionError(f"{self.overlay}: the container has no port {name_or_number}")

    def pod_labels(self):
        return self.deployment["spec"]["template"]["metadata"]["labels"]


RENDERED = {}
KUBECTL = None


def setUpModule():
    global KUBECTL
    KUBECTL, about = kubectl_with_kustomize()
    for overlay in OVERLAYS:
        path = os.path.join(K8S_DIR, "overlays", overlay)
        RENDERED[overlay] = Rendered(overlay, render(path, KUBECTL))
    how = (f"rendered with kubectl kustomize ({about}), mini_kustomize.py agrees" if KUBECTL
           else f"rendered with mini_kustomize.py ({about})")
    print(f"\npackaging/k8s: {how}", file=sys.stderr)


class Manifests(unittest.TestCase):
    def test_kinds_and_api_versions_are_current(self):
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                for obj in r.objects:
                    self.assertIn(obj["kind"], API_VERSIONS, f"{r.overlay}: unexpected kind")
                    self.assertEqual(obj["apiVersion"], API_VERSIONS[obj["kind"]],
                                     f"{r.overlay}: {obj['kind']} {obj['metadata']['name']}")
                for kind in ("Deployment", "Service", "Ingress", "HorizontalPodAutoscaler",
                             "PodDisruptionBudget", "NetworkPolicy", "ConfigMap", "Secret"):
                    r.one(kind)

    def test_probes_follow_the_guide(self):
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                ready, live = r.container["readinessProbe"], r.container["livenessProbe"]
                self.assertEqual(ready["httpGet"]["path"], "/health/ready")
                self.assertEqual((ready["periodSeconds"], ready["timeoutSeconds"]), (10, 5))
                self.assertEqual(live["httpGet"]["path"], "/health/live")
                self.assertEqual((live["periodSeconds"], live["timeoutSeconds"],
                                  live["failureThreshold"]), (30, 5, 3))
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    port = r.container_port(r.container[probe]["httpGet"]["port"])
                    self.assertEqual(port["name"], "http",
                                     f"{probe} must ask PORT, where the health checks are")

    def test_grace_period_outlasts_the_prestop_delay_and_the_drain(self):
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                command = r.container["lifecycle"]["preStop"]["exec"]["command"]
                self.assertEqual(command[0], "/bin/sleep")
                delay = int(command[1])
                self.assertGreaterEqual(delay, 3, "too short for the endpoints to be removed")
                shutdown = int(r.config["SHUTDOWN_TIMEOUT_S"])
                grace = r.deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
                self.assertGreater(grace, delay + shutdown,
                                   "the kubelet would kill the server during its drain")

    def test_runs_locked_down_as_veza(self):
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                pod = r.deployment["spec"]["template"]["spec"]
                context = r.container["securityContext"]
                self.assertTrue(pod["securityContext"]["runAsNonRoot"])
                self.assertEqual(pod["securityContext"]["fsGroup"], 10001)
                self.assertEqual(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault")
                self.assertEqual((context["runAsUser"], context["runAsGroup"]), (10001, 10001))
                self.assertTrue(context["runAsNonRoot"])
                self.assertTrue(context["readOnlyRootFilesystem"])
                self.assertIs(context["allowPrivilegeEscalation"], False)
                self.assertEqual(context["capabilities"]["drop"], ["ALL"])
                self.assertEqual(context["seccompProfile"]["type"], "RuntimeDefault")
                # With a read-only root, DATA_DIR and /tmp must be volumes.
                mounts = {m["mountPath"]: m["name"] for m in r.container["volumeMounts"]}
                volumes = {v["name"] for v in pod["volumes"]}
                for path in (r.config["DATA_DIR"], "/tmp"):
                    self.assertIn(path, mounts, f"{path} is not writable")
                    self.assertIn(mounts[path], volumes)

    def test_image_is_this_release(self):
        version = server_version()
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                self.assertEqual(r.container["image"], f"localhost/veza-server:{version}")

    def test_resources(self):
        guide = {"requests": {"cpu": "2", "memory": "4Gi", "ephemeral-storage": "10Gi"},
                 "limits": {"cpu": "8", "memory": "16Gi", "ephemeral-storage": "10Gi"}}
        production = RENDERED["production"]
        self.assertEqual(production.container["resources"], guide)
        self.assertEqual(production.config["WORKER_THREADS"],
                         str(production.container["resources"]["limits"]["cpu"]),
                         "WORKER_THREADS should follow the CPU limit (docs/operations.md)")
        development = RENDERED["development"]
        self.assertEqual(development.deployment["spec"]["replicas"], 1)
        self.assertEqual(development.config["WORKER_THREADS"],
                         str(development.container["resources"]["limits"]["cpu"]))

    def test_ports_follow_the_configuration(self):
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                names = [p["name"] for p in r.container["ports"]]
                self.assertEqual(sorted(names), sorted(PORT_VARIABLES))
                service = r.one("Service")
                self.assertLessEqual(service["spec"]["selector"].items(), r.pod_labels().items())
                service_ports = {p["name"]: p for p in service["spec"]["ports"]}
                self.assertEqual(sorted(service_ports), sorted(PORT_VARIABLES))
                for name, variable in PORT_VARIABLES.items():
                    value = int(r.config[variable])
                    self.assertEqual(r.container_port(name)["containerPort"], value,
                                     f"container port {name} is not {variable}")
                    self.assertEqual(service_ports[name]["port"], value)
                    r.container_port(service_ports[name]["targetPort"])
                annotations = r.deployment["spec"]["template"]["metadata"]["annotations"]
                self.assertEqual(annotations["prometheus.io/port"], r.config["PROMETHEUS_PORT"])

    def test_ingress_routes_websockets_to_ws_and_keeps_them_open(self):
        ws_paths = websocket_paths()
        self.assertTrue({"/chat", "/listen", "/ingest", "/monitor"} <= ws_paths, ws_paths)
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                ingress = r.one("Ingress")
                annotations = ingress["metadata"]["annotations"]
                for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
                    self.assertEqual(annotations[f"nginx.ingress.kubernetes.io/{timeout}"], "3600")
                routes = {}
                for rule in ingress["spec"]["rules"]:
                    for path in rule["http"]["paths"]:
                        backend = path["backend"]["service"]
                        self.assertEqual(backend["name"], r.one("Service")["metadata"]["name"])
                        routes[path["path"]] = backend["port"]["name"]
                for path in ws_paths:
                    self.assertEqual(routes.get(path), "ws", f"{path} must reach WS_PORT")
                self.assertEqual(routes.get("/"), "http")

    def test_autoscaler(self):
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                hpa = r.one("HorizontalPodAutoscaler")["spec"]
                self.assertEqual(hpa["scaleTargetRef"],
                                 {"apiVersion": "apps/v1", "kind": "Deployment",
                                  "name": r.deployment["metadata"]["name"]})
                cpu = [m for m in hpa["metrics"] if m["resource"]["name"] == "cpu"][0]
                self.assertEqual(cpu["resource"]["target"]["averageUtilization"], 70)
        production = RENDERED["production"].one("HorizontalPodAutoscaler")["spec"]
        self.assertEqual((production["minReplicas"], production["maxReplicas"]), (5, 50))
        self.assertNotIn("replicas", RENDERED["production"].deployment["spec"],
                         "the autoscaler owns the production replica count")
        development = RENDERED["development"].one("HorizontalPodAutoscaler")["spec"]
        self.assertEqual(development["maxReplicas"], 1, "SQLite: one pod")

    def test_disruption_budget_and_network_policy_select_the_pods(self):
        labels = dict([POD_LABEL])
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                self.assertEqual(r.pod_labels()[POD_LABEL[0]], POD_LABEL[1])
                for kind in ("PodDisruptionBudget", "NetworkPolicy"):
                    spec = r.one(kind)["spec"]
                    selector = spec["selector" if kind == "PodDisruptionBudget" else "podSelector"]
                    self.assertEqual(selector["matchLabels"], labels)
                policy = r.one("NetworkPolicy")["spec"]
                allowed_in = {p["port"] for rule in policy["ingress"] for p in rule["ports"]}
                self.assertEqual(allowed_in, set(PORT_VARIABLES))
                for name in allowed_in:
                    r.container_port(name)
                allowed_out = {(p["port"], p.get("protocol", "TCP"))
                               for rule in policy["egress"] for p in rule["ports"]}
                for needed in ((53, "UDP"), (53, "TCP"), (5432, "TCP"), (6379, "TCP")):
                    self.assertIn(needed, allowed_out)

    def test_every_documented_variable_is_configured_once(self):
        documented = documented_variables()
        self.assertGreater(len(documented), 50, "docs/configuration.md's tables not found")
        for overlay, r in RENDERED.items():
            with self.subTest(overlay=overlay):
                config, secrets = set(r.config), set(r.secrets)
                self.assertEqual(config & secrets, set(), "in both the ConfigMap and the Secret")
                self.assertEqual(sorted(set(documented) - config - secrets), [],
                                 "documented but missing from the ConfigMap and the Secret")
                self.assertEqual(sorted((config | secrets) - set(documented)), [],
                                 "not a variable of docs/configuration.md")
                # Secret values live in the Secret; *_FILE variables are paths to them.
                for name, secret in documented.items():
                    if secret and not name.endswith("_FILE"):
                        self.assertIn(name, secrets)
                for name in ("DATABASE_URL", "REDIS_URL"):
                    self.assertIn(name, secrets, "carries a password")

    def test_production_shares_postgresql_and_redis(self):
        env = RENDERED["production"].environment
        self.assertEqual(env["ENVIRONMENT"], "production")
        self.assertTrue(env["DATABASE_URL"].startswith("postgresql://"))
        self.assertRegex(env["REDIS_URL"], r"^rediss?://[^:@/]*:[^@/]+@", "Redis with a password")
        env = RENDERED["development"].environment
        self.assertEqual(env["DATABASE_URL"], f"sqlite://{env['DATA_DIR']}/veza.db")
        self.assertEqual(env["REDIS_URL"], "")


def check_config(environment):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environment}
    return subprocess.run([SERVER, "--check-config"], env=env, capture_output=True, text=True,
                          timeout=60)


class CheckConfig(unittest.TestCase):
    def test_development_as_rendered(self):
        out = check_config(RENDERED["development"].environment)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_production_refuses_the_placeholders(self):
        out = check_config(RENDERED["production"].environment)
        self.assertEqual(out.returncode, 2, "a forgotten secret must stop the pod")
        self.assertIn("JWT_SECRET", out.stderr)

    def test_production_with_real_secrets_as_documented(self):
        # docs/operations.md, "Kubernetes": an overlay of one's own, outside git, merges the
        # real secrets over the production overlay's placeholders.
        with tempfile.TemporaryDirectory(prefix="veza-k8s-own-") as own:
            production = os.path.join(K8S_DIR, "overlays", "production")
            secrets = {"JWT_SECRET": generate_secret("-base64", "48"),
                       "ENCRYPTION_KEY": generate_secret("-hex", "32"),
                       "DATABASE_URL": "postgresql://veza:db-secret@postgres:5432/veza_prod",
                       "REDIS_URL": "redis://veza:redis-secret@redis:6379/0"}
            with open(os.path.join(own, "secrets.env"), "w", encoding="utf-8") as env:
                env.writelines(f"{k}={v}\n" for k, v in secrets.items())
            with open(os.path.join(own, "kustomization.yaml"), "w", encoding="utf-8") as k:
                yaml.safe_dump({"apiVersion": "kustomize.config.k8s.io/v1beta1",
                                "kind": "Kustomization",
                                "resources": [os.path.relpath(production, own)],
                                "secretGenerator": [{"name": "veza-server-secrets",
                                                     "behavior": "merge",
                                                     "envs": ["secrets.env"]}]}, k)
            mine = Rendered("own", render(own, KUBECTL))
        self.assertEqual({k: mine.secrets[k] for k in secrets}, secrets)
        out = check_config(mine.environment)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertNotIn(secrets["JWT_SECRET"], out.stdout + out.stderr)
        self.assertNotIn("db-secret", out.stdout + out.stderr)


class StartedServer(unittest.TestCase):
    """The development overlay's environment on a real veza-server, ports moved to free ones."""

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="veza-k8s-")
        env = dict(RENDERED["development"].environment)
        cls.ports = {variable: free_port() for variable in PORT_VARIABLES.values()}
        env.update({k: str(v) for k, v in cls.ports.items()})
        env["HOST"] = "127.0.0.1"
        env["DATA_DIR"] = os.path.join(cls.workdir, "data")
        env["DATABASE_URL"] = f"sqlite://{cls.workdir}/data/veza.db"
        env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
        cls.log = open(os.path.join(cls.workdir, "server.log"), "w+")
        try:
            cls.server = subprocess.Popen([SERVER], env=env, stdout=cls.log,
                                          stderr=subprocess.STDOUT)
        except OSError:
            cls.log.close()
            shutil.rmtree(cls.workdir, ignore_errors=True)
            raise
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if http_get(cls.ports["PORT"], "/health/ready")[0] == 200:
                    return
            except OSError:
                pass
            if cls.server.poll() is not None:
                break
            time.sleep(0.2)
        cls.tearDownClass()
        raise AssertionError("veza-server with the development overlay's environment did not "
                             f"become ready:\n{cls.server_log()}")

    @classmethod
    def server_log(cls):
        cls.log.seek(0)
        return cls.log.read()[-4000:]

    @classmethod
    def tearDownClass(cls):
        if cls.server.poll() is None:
            cls.server.send_signal(signal.SIGTERM)
            try:
                cls.server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                cls.server.kill()
        cls.log.close()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def real_port(self, r, port_name):
        """Where the started server listens for the manifests' port `port_name`."""
        number = r.container_port(port_name)["containerPort"]
        variables = [v for v in PORT_VARIABLES.values() if int(r.config[v]) == number]
        self.assertEqual(len(variables), 1, f"port {port_name} is none of the server's ports")
        return self.ports[variables[0]]

    def test_probes_answer_200(self):
        for overlay in OVERLAYS:
            r = RENDERED[overlay]
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                with self.subTest(overlay=overlay, probe=probe):
                    get = r.container[probe]["httpGet"]
                    status, body = http_get(self.real_port(r, get["port"]), get["path"])
                    self.assertEqual(status, 200, f"{probe} GET {get['path']}: {body}")

    def test_metrics_where_prometheus_scrapes(self):
        for overlay in OVERLAYS:
            r = RENDERED[overlay]
            annotations = r.deployment["spec"]["template"]["metadata"]["annotations"]
            status, body = http_get(self.real_port(r, "metrics"), annotations["prometheus.io/path"])
            self.assertEqual(status, 200)
            self.assertIn("websocket_connections_active", body)

    def test_ws_port_upgrades_websockets(self):
        for overlay in OVERLAYS:
            r = RENDERED[overlay]
            self.assertEqual(websocket_upgrade_status(self.real_port(r, "ws"), "/"), 101)


if __name__ == "__main__":
    unittest.main(verbosity=2)
