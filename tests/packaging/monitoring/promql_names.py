"""The metric names a PromQL expression reads (a Grafana query too, its variables removed).

Enough of PromQL for the project's alert rules and dashboard: string literals, label matchers
`{...}`, range and subquery brackets `[...]`, the label lists of by/without/on/ignoring/
group_left/group_right, function calls, keywords and numbers are set aside; what is left are
metric names. Grafana's `label_values(metric, label)` reads `metric`.
"""

import re

_KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
             "group_right", "offset", "bool", "atan2", "inf", "nan"}
_LABEL_LISTS = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def _strip(text, open_char, close_char):
    """Removes every open_char...close_char span (not nested in PromQL's matchers and ranges)."""
    return re.sub(re.escape(open_char) + r"[^" + re.escape(close_char) + r"]*"
                  + re.escape(close_char), " ", text)


def metric_names(expression):
    """The set of metric names `expression` selects."""
    label_values = re.fullmatch(r"\s*label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*",
                                expression, re.S)
    if label_values:
        return metric_names(label_values.group(1))
    if re.fullmatch(r"\s*label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", expression):
        return set()
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expression)
    text = re.sub(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*", " ", text)  # Grafana variables
    text = _strip(text, "{", "}")
    text = _strip(text, "[", "]")
    text = _LABEL_LISTS.sub(" ", text)
    names = set()
    for match in _IDENTIFIER.finditer(text):
        name = match.group(0)
        before = text[match.start() - 1] if match.start() > 0 else " "
        if before.isdigit() or before == ".":  # 1e3, 0.5e-3
            continue
        after = text[match.end():].lstrip()
        if after.startswith("("):  # a function or an aggregation
            continue
        if name.lower() in _KEYWORDS:
            continue
        names.add(name)
    return names
