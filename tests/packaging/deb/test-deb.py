#!/usr/bin/env python3
"""The veza-server Debian package as an operator installs it (packaging/deb, packaging/systemd;
docs/operations.md, "Hosts without containers").

Builds the .deb with CPack into a throwaway folder, has lintian check it (an error fails the
test), extracts it (dpkg-deb -x) and checks what lands where: the binary, the systemd unit, the
environment file listed as a conffile, the sysctl file, the docs. Then the installed binary:
--version, --check-config with the environment file's settings (and again with every commented
default turned on), and a start as systemd starts it: the environment file's variables, the
NOTIFY_SOCKET of Type=notify, READY=1 when /health/ready answers, STOPPING=1 and exit 0 on
SIGTERM. Last, `systemd-analyze verify` on the unit and the kernel knowing every sysctl key.

Usage: test-deb.py BUILD_DIR
Exit: 0 passed, 1 failed.
"""
import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

UNIT = "lib/systemd/system/veza-server.service"
ENV_FILE = "etc/veza/veza-server.env"
SYSCTL = "usr/lib/sysctl.d/99-veza.conf"
BINARY = "usr/bin/veza-server"
DOC = "usr/share/doc/veza-server"
EXPECTED_FILES = [BINARY, UNIT, ENV_FILE, SYSCTL, f"{DOC}/copyright",
                  f"{DOC}/changelog.Debian.gz", f"{DOC}/operations.md.gz",
                  f"{DOC}/configuration.md.gz", "usr/share/man/man1/veza-server.1.gz"]

problems = []


def check(condition, what):
    print(("ok:   " if condition else "FAIL: ") + what, flush=True)
    if not condition:
        problems.append(what)
    return condition


def run(command, **options):
    return subprocess.run(command, capture_output=True, text=True, **options)


def read_env_file(path, uncomment_defaults=False):
    """VAR=value lines as systemd's EnvironmentFile reads them (# starts a comment); with
    uncomment_defaults, the commented `# VAR=value` lines too."""
    variables = {}
    pattern = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")
    for line in open(path, encoding="utf-8"):
        match = pattern.match(line.strip())
        if match and (not match.group(1) or uncomment_defaults):
            variables.setdefault(match.group(2), match.group(3))
    return variables


def build_package(build_dir, out_dir):
    result = run(["cpack", "--config", os.path.join(build_dir, "CPackConfig.cmake"),
                  "-B", out_dir])
    debs = [name for name in os.listdir(out_dir) if name.endswith(".deb")]
    if not check(result.returncode == 0 and len(debs) == 1,
                 f"cpack builds one .deb ({', '.join(debs) or result.stderr.strip()[-400:]})"):
        sys.exit(1)
    return os.path.join(out_dir, debs[0])


def check_lintian(deb):
    result = run(["lintian", "--fail-on", "error", "--display-info", deb])
    tags = [line for line in result.stdout.splitlines() if re.match(r"^[EWIP]: ", line)]
    for tag in tags:
        print("      lintian " + tag)
    errors = [tag for tag in tags if tag.startswith("E: ")]
    check(result.returncode == 0 and not errors,
          f"lintian: no error ({len(tags)} tag(s) in all{', exit ' + str(result.returncode) if result.returncode else ''})")


def check_files(root, control):
    for path in EXPECTED_FILES:
        check(os.path.isfile(os.path.join(root, path)), f"the package installs /{path}")
    check(os.access(os.path.join(root, BINARY), os.X_OK), f"/{BINARY} is executable")
    conffiles = open(os.path.join(control, "conffiles")).read().split() \
        if os.path.exists(os.path.join(control, "conffiles")) else []
    check(f"/{ENV_FILE}" in conffiles,
          f"/{ENV_FILE} is a conffile (dpkg keeps the administrator's changes): {conffiles}")
    for script in ("postinst", "prerm", "postrm"):
        path = os.path.join(control, script)
        check(os.path.exists(path) and run(["sh", "-n", path]).returncode == 0,
              f"maintainer script {script} present, valid sh")
    postinst = open(os.path.join(control, "postinst")).read()
    check("adduser --system" in postinst and "veza" in postinst,
          "postinst creates the veza system user")
    control_fields = open(os.path.join(control, "control")).read()
    depends = re.search(r"^Depends: (.*)$", control_fields, re.M)
    depends = depends.group(1) if depends else ""
    for package in ("libqt6core6", "libsystemd0", "libqt6sql6-sqlite", "adduser"):
        check(re.search(rf"\b{package}\b", depends) is not None, f"Depends names {package}")
    with gzip.open(os.path.join(root, DOC, "changelog.Debian.gz"), "rt") as changelog:
        first = changelog.readline()
    version = re.search(r"^Version: (.*)$", control_fields, re.M).group(1)
    check(first.startswith(f"veza-server ({version})"),
          f"changelog.Debian's entry is this version ({first.strip()})")
    return version


def check_unit_matches_files(root):
    unit = open(os.path.join(root, UNIT)).read()
    settings = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    check(settings.get("ExecStart", "").split()[0] == f"/{BINARY}",
          f"the unit starts /{BINARY}")
    check(settings.get("EnvironmentFile") == f"/{ENV_FILE}", f"the unit reads /{ENV_FILE}")
    check(settings.get("Type") == "notify", "the unit is Type=notify")
    check(settings.get("User") == "veza" and settings.get("StateDirectory") == "veza",
          "the unit runs as veza with StateDirectory=veza (/var/lib/veza)")
    env = read_env_file(os.path.join(root, ENV_FILE))
    check(env.get("DATA_DIR") == "/var/lib/veza"
          and env.get("DATABASE_URL") == "sqlite:///var/lib/veza/veza.db",
          f"the environment file sets DATA_DIR and DATABASE_URL under /var/lib/veza ({env})")
    shutdown_s = int(read_env_file(os.path.join(root, ENV_FILE), True)["SHUTDOWN_TIMEOUT_S"])
    stop_s = int(settings.get("TimeoutStopSec", "0"))
    check(stop_s > shutdown_s, f"TimeoutStopSec {stop_s} s > SHUTDOWN_TIMEOUT_S {shutdown_s} s")
    return settings


def binary_environment(root, data_dir, variables):
    environment = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    environment.update(variables)
    environment["DATA_DIR"] = data_dir
    return environment


def check_binary(root, version, data_dir):
    binary = os.path.join(root, BINARY)
    result = run([binary, "--version"], env={"PATH": "/usr/bin:/bin"})
    upstream = version.rsplit("-", 1)[0]
    check(result.returncode == 0 and re.fullmatch(
        rf"veza-server {re.escape(upstream)} \(commit (?:[0-9a-f]{{12}}|unknown)\)\n", result.stdout)
        is not None, f"--version names the package's version and a commit: {result.stdout.strip()}")

    env_file = os.path.join(root, ENV_FILE)
    settings = read_env_file(env_file)
    result = run([binary, "--check-config"],
                 env=binary_environment(root, data_dir, settings))
    check(result.returncode == 0
          and "DATABASE_URL=sqlite:///var/lib/veza/veza.db" in result.stdout.replace(" ", ""),
          "--check-config accepts the environment file as shipped"
          + ("" if result.returncode == 0 else f": {result.stderr.strip()}"))

    # Every commented default, turned on, is still a valid configuration: the file does not
    # document a value the server refuses.
    defaults = read_env_file(env_file, uncomment_defaults=True)
    result = run([binary, "--check-config"], env=binary_environment(root, data_dir, defaults))
    check(result.returncode == 0, "--check-config accepts every commented default turned on"
          + ("" if result.returncode == 0 else f": {result.stderr.strip()}"))

    # The file lists every variable the server knows (--help's list).
    help_text = run([binary, "--help"], env={"PATH": "/usr/bin:/bin"}).stdout
    known = re.findall(r"^  ([A-Z][A-Z0-9_]+) +\[", help_text, re.M)
    missing = [name for name in known if name not in defaults]
    check(known and not missing,
          f"the environment file lists all {len(known)} variables of --help (missing: {missing})")


def start_as_systemd_does(root, data_dir, timeout_stop_s):
    """The unit's start and stop without systemd: the environment file's variables, a
    NOTIFY_SOCKET, READY=1 then /health/ready, SIGTERM then STOPPING=1 and exit 0."""
    notify_path = os.path.join(data_dir, "notify")
    manager = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    manager.bind(notify_path)
    manager.settimeout(30)
    variables = read_env_file(os.path.join(root, ENV_FILE))
    environment = binary_environment(root, data_dir, variables)
    environment.update({
        "NOTIFY_SOCKET": notify_path, "HOST": "127.0.0.1", "PORT": "0", "WS_PORT": "0",
        "PROMETHEUS_PORT": "0", "WORKER_THREADS": "1",
        # /var/lib/veza is not this machine's to write.
        "DATABASE_URL": f"sqlite://{data_dir}/veza.db"})
    log = open(os.path.join(data_dir, "server.log"), "w+")
    server = subprocess.Popen([os.path.join(root, BINARY)], env=environment, cwd=data_dir,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            ready = manager.recv(4096).decode()
        except socket.timeout:
            ready = ""
        port = re.search(r"STATUS=ready: http (\d+)", ready)
        if not check("READY=1" in ready.split("\n") and port,
                     f"the installed binary says READY=1 to systemd ({ready!r})"):
            log.seek(0)
            print(log.read()[-2000:])
            return
        try:
            status = urllib.request.urlopen(
                f"http://127.0.0.1:{port.group(1)}/health/ready", timeout=5).status
        except urllib.error.HTTPError as error:
            status = error.code
        check(status == 200, f"/health/ready answers {status} once READY=1 came")
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            stopping = manager.recv(4096).decode()
        except socket.timeout:
            stopping = ""
        check("STOPPING=1" in stopping.split("\n"), f"SIGTERM: STOPPING=1 ({stopping!r})")
        code = server.wait(timeout=timeout_stop_s)
        elapsed = time.monotonic() - started
        check(code == 0, f"exit status {code} after SIGTERM, in {elapsed:.1f} s "
              f"(TimeoutStopSec {timeout_stop_s} s)")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        manager.close()


def check_unit_with_systemd(root):
    if shutil.which("systemd-analyze") is None:
        print("skip: systemd-analyze verify (systemd-analyze is not installed: "
              "packaging/install-deps.sh installs systemd)")
        return
    # verify looks for ExecStart's binary and Documentation's man page on this machine: the
    # unit is checked with ExecStart pointing into the extracted root and MANPATH into it.
    unit_dir = tempfile.mkdtemp(dir=root, prefix="unit-")
    unit = open(os.path.join(root, UNIT)).read().replace(
        f"ExecStart=/{BINARY}", f"ExecStart={os.path.join(root, BINARY)}")
    path = os.path.join(unit_dir, "veza-server.service")
    open(path, "w").write(unit)
    environment = dict(os.environ, MANPATH=os.path.join(root, "usr/share/man") + ":")
    result = run(["systemd-analyze", "verify", path], env=environment)
    output = (result.stdout + result.stderr).strip()
    check(result.returncode == 0 and not output,
          "systemd-analyze verify accepts the unit" + (f": {output}" if output else ""))


def check_sysctl_keys(root):
    keys = re.findall(r"^([a-z][\w.]+)\s*=", open(os.path.join(root, SYSCTL)).read(), re.M)
    unknown = [key for key in keys
               if not os.path.exists("/proc/sys/" + key.replace(".", "/"))]
    check(keys and not unknown,
          f"the kernel knows every key of 99-veza.conf ({len(keys)}; unknown: {unknown})")


def main():
    build_dir = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="veza-deb-") as work:
        deb = build_package(build_dir, os.path.join(work, "out"))
        print(f"      package: {os.path.basename(deb)}, {os.path.getsize(deb) // 1000} kB")
        check_lintian(deb)
        root, control = os.path.join(work, "root"), os.path.join(work, "control")
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        subprocess.run(["dpkg-deb", "-e", deb, control], check=True)
        version = check_files(root, control)
        if problems:  # what follows reads those files
            print(f"{len(problems)} problem(s)", file=sys.stderr)
            return 1
        settings = check_unit_matches_files(root)
        data_dir = os.path.join(work, "data")
        os.mkdir(data_dir)
        check_binary(root, version, data_dir)
        start_as_systemd_does(root, data_dir, int(settings.get("TimeoutStopSec", "45")))
        check_unit_with_systemd(root)
        check_sysctl_keys(root)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
