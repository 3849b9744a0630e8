"""The part of kustomize that packaging/k8s uses, for machines without a kubectl that can build it.

Debian bookworm's only kubectl (kubernetes-client 1.20) embeds kustomize v2.0.3, which cannot
read `patches` or a directory under `resources`, so a fresh Debian machine has no kustomize able
to render these overlays. This renders the same objects: resources (files and directories),
configMapGenerator and secretGenerator (env files and literals, `behavior: merge`), strategic
merge patches by kind and name, and images. Generated names get no hash suffix. Any other
kustomization field stops the rendering with a message, rather than being ignored. Wherever a
kubectl >= 1.21 is present, test_k8s.py compares this rendering with kubectl's.
"""

import base64
import copy
import os

import yaml

HANDLED_FIELDS = {"apiVersion", "kind", "resources", "patches", "images", "configMapGenerator",
                  "secretGenerator"}

# Strategic merge keys of the lists these manifests patch (Kubernetes' patchMergeKey tags);
# any other list is replaced, as strategic merge does for lists without one.
MERGE_KEYS = {"containers": "name", "initContainers": "name", "volumes": "name", "env": "name",
              "volumeMounts": "mountPath"}


class Unsupported(Exception):
    pass


def _read_env_file(path):
    values = {}
    with open(path, encoding="utf-8") as env_file:
        for line in env_file:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, equals, value = line.partition("=")
            if not equals:
                raise Unsupported(f"{path}: '{line}' has no '=' (a value from the environment)")
            values[key.strip()] = value
    return values


def _generator_data(directory, generator):
    unknown = set(generator) - {"name", "envs", "literals", "behavior"}
    if unknown:
        raise Unsupported(f"{directory}: generator fields {sorted(unknown)} not handled")
    data = {}
    for env in generator.get("envs", []):
        data.update(_read_env_file(os.path.join(directory, env)))
    for literal in generator.get("literals", []):
        key, _, value = literal.partition("=")
        data[key] = value
    return data


def _apply_generator(objects, directory, generator, kind):
    data = _generator_data(directory, generator)
    if kind == "Secret":
        data = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
    behavior = generator.get("behavior", "create")
    existing = [o for o in objects
                if o["kind"] == kind and o["metadata"]["name"] == generator["name"]]
    if behavior == "merge":
        if not existing:
            raise Unsupported(f"{directory}: merge into {kind} {generator['name']}, not generated")
        existing[0].setdefault("data", {}).update(data)
        return
    if behavior != "create" or existing:
        raise Unsupported(f"{directory}: generator behavior {behavior} for {generator['name']}")
    generated = {"apiVersion": "v1", "kind": kind, "metadata": {"name": generator["name"]},
                 "data": data}
    if kind == "Secret":
        generated["type"] = "Opaque"
    objects.append(generated)


def strategic_merge(target, patch):
    for key, value in patch.items():
        if isinstance(key, str) and key.startswith("$"):
            raise Unsupported(f"patch directive {key}")
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            strategic_merge(target[key], value)
        elif (isinstance(value, list) and key in MERGE_KEYS
              and isinstance(target.get(key), list)):
            merge_key = MERGE_KEYS[key]
            for item in value:
                match = [t for t in target[key] if t.get(merge_key) == item.get(merge_key)]
                if match:
                    strategic_merge(match[0], item)
                else:
                    target[key].append(copy.deepcopy(item))
        else:
            target[key] = copy.deepcopy(value)


def _pod_containers(obj):
    spec = obj.get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("containers", []) + spec.get("initContainers", [])


def _apply_image(objects, image):
    unknown = set(image) - {"name", "newName", "newTag"}
    if unknown:
        raise Unsupported(f"image fields {sorted(unknown)} not handled")
    for obj in objects:
        for container in _pod_containers(obj):
            name, _, tag = container["image"].partition(":")
            if name == image["name"]:
                container["image"] = (f"{image.get('newName', name)}:"
                                      f"{image.get('newTag', tag or 'latest')}")


def build(directory):
    """The objects `kubectl kustomize DIRECTORY` would print, generated names without hash."""
    directory = os.path.normpath(directory)
    with open(os.path.join(directory, "kustomization.yaml"), encoding="utf-8") as file:
        kustomization = yaml.safe_load(file)
    unknown = set(kustomization) - HANDLED_FIELDS
    if unknown:
        raise Unsupported(
            f"{directory}/kustomization.yaml: {sorted(unknown)} not handled by "
            f"tests/packaging/k8s/mini_kustomize.py: teach it (machines without a kubectl "
            f">= 1.21 render with it; test_k8s.py compares it with kubectl where there is one)")
    objects = []
    for resource in kustomization.get("resources", []):
        path = os.path.join(directory, resource)
        if os.path.isdir(path):
            objects += build(path)
        else:
            with open(path, encoding="utf-8") as file:
                objects += [doc for doc in yaml.safe_load_all(file) if doc]
    for generator in kustomization.get("configMapGenerator", []):
        _apply_generator(objects, directory, generator, "ConfigMap")
    for generator in kustomization.get("secretGenerator", []):
        _apply_generator(objects, directory, generator, "Secret")
    for patch in kustomization.get("patches", []):
        if set(patch) != {"path"}:
            raise Unsupported(f"{directory}: patch {patch} (only `path:` is handled)")
        with open(os.path.join(directory, patch["path"]), encoding="utf-8") as file:
            patch_doc = yaml.safe_load(file)
        targets = [o for o in objects if o["kind"] == patch_doc["kind"]
                   and o["metadata"]["name"] == patch_doc["metadata"]["name"]]
        if len(targets) != 1:
            raise Unsupported(f"{directory}/{patch['path']}: no single target")
        strategic_merge(targets[0], {k: v for k, v in patch_doc.items()
                                     if k not in ("apiVersion", "kind")})
    for image in kustomization.get("images", []):
        _apply_image(objects, image)
    return objects
