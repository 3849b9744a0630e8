"""The monitoring artifacts and the files they must agree with, read for the tests."""

import json
import os
import re

import yaml

SOURCE_DIR = os.environ.get("VEZA_SOURCE_DIR",
                            os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
PROMETHEUS_DIR = os.path.join(SOURCE_DIR, "packaging/prometheus")
ALERTS = os.path.join(PROMETHEUS_DIR, "alerts.yml")
ALERTS_TEST = os.path.join(PROMETHEUS_DIR, "alerts_test.yml")
STATIC_CONFIG = os.path.join(PROMETHEUS_DIR, "prometheus.yml")
KUBERNETES_CONFIG = os.path.join(PROMETHEUS_DIR, "prometheus-kubernetes.yml")
ALERTMANAGER_CONFIG = os.path.join(SOURCE_DIR, "packaging/alertmanager/alertmanager.yml")
DASHBOARD = os.path.join(SOURCE_DIR, "packaging/grafana/veza.json")
CONSOLE_RULES = os.path.join(SOURCE_DIR, "console/oncall/alert-rules.conf")
OPERATIONS = os.path.join(SOURCE_DIR, "docs/operations.md")


def load_rules():
    with open(ALERTS) as f:
        return [rule for group in yaml.safe_load(f)["groups"] for rule in group["rules"]]


def load_dashboard():
    with open(DASHBOARD) as f:
        return json.load(f)


def dashboard_queries(dashboard):
    """(where, PromQL) of every panel target and query variable."""
    queries = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            queries.append((f'panel "{panel["title"]}" {target["refId"]}', target["expr"]))
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            query = variable["query"]
            queries.append((f'variable {variable["name"]}',
                            query["query"] if isinstance(query, dict) else query))
    return queries


def console_rules():
    """The console's rules: name -> (figure, comparison, threshold, for, severity)."""
    rules = {}
    line_pattern = re.compile(r"^(\S+)\s+(.+?)\s+for\s+(\S+)\s+severity\s+(\S+)\s+runbook\s+\S+$")
    expression_pattern = re.compile(
        r"^(?:delta\(\s*([a-z_0-9]+)\s*,\s*\w+\s*\)|([a-z_0-9]+))\s*(>=|<=|==|!=|>|<)\s*(\S+)$")
    with open(CONSOLE_RULES) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, expression, duration, severity = line_pattern.match(line).groups()
            delta_figure, figure, comparison, threshold = expression_pattern.match(
                expression).groups()
            rules[name] = (delta_figure or figure, comparison, float(threshold), duration,
                           severity)
    return rules


def github_slug(heading):
    """The anchor GitHub gives a Markdown heading."""
    slug = heading.strip().lower()
    slug = re.sub(r"[^\w\- ]", "", slug)
    return slug.replace(" ", "-")


def section(markdown, title):
    """The text of the `## title` section (up to the next `## `)."""
    start = markdown.index(f"\n## {title}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start:] if end < 0 else markdown[start:end]


def exported_metric_names(metrics_text):
    """The series names a /metrics text can hold: each family's, a histogram's three."""
    names = set()
    for line in metrics_text.splitlines():
        match = re.match(r"# TYPE (\S+) (\S+)", line)
        if match:
            name, kind = match.groups()
            if kind == "histogram":
                names.update({name + "_bucket", name + "_sum", name + "_count"})
            elif kind == "summary":
                names.update({name, name + "_sum", name + "_count"})
            else:
                names.add(name)
        elif line and not line.startswith("#"):
            names.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))
    return names
