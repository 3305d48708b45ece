"""Writes the Terraform fixtures. Each expected finding is named by the exact text it must point at
(`at=(file, line_text_fragment, token)`): the position is where that token starts on the first line
containing the fragment -- the value's span, as the rules promise."""
import json, os
from pathlib import Path
F = Path("/work/wt-tf/fixtures")

def pos(text, fragment, token):
    for number, line in enumerate(text.split("\n"), 1):
        if fragment in line:
            return number, line.index(token, line.index(fragment)) + 1
    raise SystemExit(f"fragment {fragment!r} not found")

def write(rule, fmt, cases):
    folder = F / rule / fmt
    expected = {}
    for case, spec in cases.items():
        for name, text in spec["files"].items():
            path = folder / case / name if fmt != "terraform-plan" else folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for name in spec["files"]:
            key = f"{case}/{name}" if fmt != "terraform-plan" else name
            hits = []
            for (fname, fragment, token) in spec.get("at", []):
                if fname == name:
                    line, column = pos(spec["files"][name], fragment, token)
                    hits.append({"rule": rule.split("-")[0], "line": line, "column": column})
            expected[key] = sorted(hits, key=lambda h: (h["line"], h["column"]))
    (folder / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n", encoding="utf-8")

def tf_stage(name='"prod"', extra=""):
    return ('resource "aws_api_gateway_stage" "prod" {\n'
            '  rest_api_id   = "a1b2c3"\n'
            '  deployment_id = "d1"\n'
            f'  stage_name    = {name}\n' + extra + '}\n')

def js_stage(name='"prod"', extra=""):
    body = {"rest_api_id": "a1b2c3", "deployment_id": "d1", "stage_name": json.loads(name)}
    body.update(extra)
    return json.dumps({"resource": {"aws_api_gateway_stage": {"prod": body}}}, indent=2) + "\n"

def tf_settings(settings, method_path='"*/*"', stage='aws_api_gateway_stage.prod.stage_name'):
    return ('\nresource "aws_api_gateway_method_settings" "all" {\n'
            '  rest_api_id = "a1b2c3"\n'
            f'  stage_name  = {stage}\n'
            f'  method_path = {method_path}\n'
            '  settings {\n' + "".join(f"    {k} = {v}\n" for k, v in settings.items()) + '  }\n}\n')

def js_settings(settings, method_path="*/*", stage="${aws_api_gateway_stage.prod.stage_name}"):
    return {"rest_api_id": "a1b2c3", "stage_name": stage, "method_path": method_path, "settings": settings}

def js_with_settings(stage_extra, settings_body):
    doc = json.loads(js_stage(extra=stage_extra))
    doc["resource"]["aws_api_gateway_method_settings"] = {"all": settings_body}
    return json.dumps(doc, indent=2) + "\n"

# ---- SL001 / SL002 / SL003: the stage name
for rule, bad, good in (("SL001-stage-name-invalid", "prod stage!", "prod"),
                        ("SL002-stage-name-convention", "prod-v2", "prod_v2"),
                        ("SL003-stage-name-reserved", "test", "prod")):
    write(rule, "terraform", {
        "pass": {"files": {"main.tf": tf_stage(f'"{good}"')}},
        "fail": {"files": {"main.tf": tf_stage(f'"{bad}"')}, "at": [("main.tf", "stage_name", f'"{bad}"')]},
    })
    write(rule, "terraform-json", {
        "pass": {"files": {"main.tf.json": js_stage(f'"{good}"')}},
        "fail": {"files": {"main.tf.json": js_stage(f'"{bad}"')}, "at": [("main.tf.json", '"stage_name"', f'"{bad}"')]},
    })

# ---- SL101: caching enabled, no size (points at the enabling flag)
write("SL101-cache-size-missing", "terraform", {
    "pass": {"files": {"main.tf": tf_stage(extra='  cache_cluster_enabled = true\n  cache_cluster_size    = "0.5"\n')}},
    "fail": {"files": {"main.tf": tf_stage(extra='  cache_cluster_enabled = true\n')},
             "at": [("main.tf", "cache_cluster_enabled", "true")]},
    # An unknown size counts as set: no finding.
    "pass-unknown-size": {"files": {"main.tf": tf_stage(extra='  cache_cluster_enabled = true\n  cache_cluster_size    = var.size\n'),
                                    "variables.tf": 'variable "size" {\n  type = string\n}\n'}},
})
write("SL101-cache-size-missing", "terraform-json", {
    "pass": {"files": {"main.tf.json": js_stage(extra={"cache_cluster_enabled": True, "cache_cluster_size": "0.5"})}},
    "fail": {"files": {"main.tf.json": js_stage(extra={"cache_cluster_enabled": True})},
             "at": [("main.tf.json", '"cache_cluster_enabled"', "true")]},
})

# ---- SL102: size not one of the API's; the bad value comes from a local in another file
write("SL102-cache-size-invalid", "terraform", {
    "pass": {"files": {"main.tf": tf_stage(extra='  cache_cluster_enabled = true\n  cache_cluster_size    = local.cache_gb\n'),
                       "locals.tf": 'locals {\n  cache_gb = "6.1"\n}\n'}},
    "fail": {"files": {"main.tf": tf_stage(extra='  cache_cluster_enabled = true\n  cache_cluster_size    = local.cache_gb\n'),
                       "locals.tf": 'locals {\n  cache_gb = "5"\n}\n'},
             "at": [("main.tf", "cache_cluster_size", "local.cache_gb")]},
    "fail-literal": {"files": {"main.tf": tf_stage(extra='  cache_cluster_enabled = true\n  cache_cluster_size    = 0.6\n')},
                     "at": [("main.tf", "cache_cluster_size", "0.6")]},
})
write("SL102-cache-size-invalid", "terraform-json", {
    "pass": {"files": {"main.tf.json": js_stage(extra={"cache_cluster_enabled": True, "cache_cluster_size": "${var.size}"}),
                       "variables.tf.json": json.dumps({"variable": {"size": {"default": "0.5"}}}, indent=2) + "\n"}},
    "fail": {"files": {"main.tf.json": js_stage(extra={"cache_cluster_enabled": True, "cache_cluster_size": "${var.size}"}),
                       "variables.tf.json": json.dumps({"variable": {"size": {"default": "1"}}}, indent=2) + "\n"},
             "at": [("main.tf.json", '"cache_cluster_size"', '"${var.size}"')]},
})

# ---- SL103: method-setting cache TTL out of range (a separate resource, joined by reference)
write("SL103-cache-ttl-out-of-range", "terraform", {
    "pass": {"files": {"main.tf": tf_stage() + tf_settings({"caching_enabled": "true", "cache_ttl_in_seconds": "300"})}},
    "fail": {"files": {"main.tf": tf_stage() + tf_settings({"caching_enabled": "true", "cache_ttl_in_seconds": "4000"})},
             "at": [("main.tf", "cache_ttl_in_seconds", "4000")]},
})
write("SL103-cache-ttl-out-of-range", "terraform-json", {
    "pass": {"files": {"main.tf.json": js_with_settings({}, js_settings({"caching_enabled": True, "cache_ttl_in_seconds": 300}))}},
    "fail": {"files": {"main.tf.json": js_with_settings({}, js_settings({"caching_enabled": True, "cache_ttl_in_seconds": 4000}))},
             "at": [("main.tf.json", '"cache_ttl_in_seconds"', "4000")]},
})

# ---- SL201: negative throttling; -1 means "not set" in Terraform (pass). Joined by literal name.
write("SL201-throttling-negative", "terraform", {
    "pass": {"files": {"main.tf": tf_stage() + tf_settings({"throttling_rate_limit": "-1", "throttling_burst_limit": "-1"}, stage='"prod"')}},
    "fail": {"files": {"main.tf": tf_stage() + tf_settings({"throttling_rate_limit": "-5", "throttling_burst_limit": "-1"}, stage='"prod"')},
             "at": [("main.tf", "throttling_rate_limit", "-5")]},
})
write("SL201-throttling-negative", "terraform-json", {
    "pass": {"files": {"main.tf.json": js_with_settings({}, js_settings({"throttling_rate_limit": -1, "throttling_burst_limit": 50}, stage="prod"))}},
    "fail": {"files": {"main.tf.json": js_with_settings({}, js_settings({"throttling_rate_limit": 100, "throttling_burst_limit": -20}, stage="prod"))},
             "at": [("main.tf.json", '"throttling_burst_limit"', "-20")]},
})

# ---- SL301: canary percent; the bad value is a variable default in another file
canary = '  canary_settings {\n    percent_traffic = var.canary_percent\n  }\n'
write("SL301-canary-percent-out-of-range", "terraform", {
    "pass": {"files": {"main.tf": tf_stage(extra=canary), "variables.tf": 'variable "canary_percent" {\n  default = 10\n}\n'}},
    "fail": {"files": {"main.tf": tf_stage(extra=canary), "variables.tf": 'variable "canary_percent" {\n  default = 150\n}\n'},
             "at": [("main.tf", "percent_traffic", "var.canary_percent")]},
})
write("SL301-canary-percent-out-of-range", "terraform-json", {
    "pass": {"files": {"main.tf.json": js_stage(extra={"canary_settings": {"percent_traffic": 25.5}})}},
    "fail": {"files": {"main.tf.json": js_stage(extra={"canary_settings": {"percent_traffic": -3}})},
             "at": [("main.tf.json", '"percent_traffic"', "-3")]},
})

# ---- SL401: method_path
write("SL401-method-settings-path-invalid", "terraform", {
    "pass": {"files": {"main.tf": tf_stage() + tf_settings({"metrics_enabled": "true"}, method_path='"users/GET"')}},
    "fail": {"files": {"main.tf": tf_stage() + tf_settings({"metrics_enabled": "true"}, method_path='"/users/GET"')},
             "at": [("main.tf", "method_path", '"/users/GET"')]},
})
write("SL401-method-settings-path-invalid", "terraform-json", {
    "pass": {"files": {"main.tf.json": js_with_settings({}, js_settings({"metrics_enabled": True}, method_path="*/*"))}},
    "fail": {"files": {"main.tf.json": js_with_settings({}, js_settings({"metrics_enabled": True}, method_path="users/FETCH"))},
             "at": [("main.tf.json", '"method_path"', '"users/FETCH"')]},
})

# ---- plans
def plan(values, unknown=None, settings=None):
    resources = [{"address": "aws_api_gateway_stage.prod", "mode": "managed", "type": "aws_api_gateway_stage",
                  "name": "prod", "provider_name": "registry.terraform.io/hashicorp/aws",
                  "values": {"stage_name": "prod", "rest_api_id": "a1b2c3", **values}}]
    changes = [{"address": "aws_api_gateway_stage.prod", "mode": "managed", "type": "aws_api_gateway_stage",
                "name": "prod", "change": {"actions": ["create"], "before": None,
                                            "after": resources[0]["values"], "after_unknown": unknown or {"id": True}}}]
    return json.dumps({"format_version": "1.2", "terraform_version": "1.6.0",
                       "planned_values": {"root_module": {"resources": resources}},
                       "resource_changes": changes}, indent=2) + "\n"

def plan_write(rule, cases):
    folder = F / rule / "terraform-plan"
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (text, at) in cases.items():
        (folder / name).write_text(text, encoding="utf-8")
        hits = []
        for fragment, token in at:
            line, column = pos(text, fragment, token)
            hits.append({"rule": rule.split("-")[0], "line": line, "column": column})
        expected[name] = hits
    (folder / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n", encoding="utf-8")

plan_write("SL101-cache-size-missing", {
    "pass.json": (plan({"cache_cluster_enabled": True}, {"id": True, "cache_cluster_size": True}), []),
    "fail.json": (plan({"cache_cluster_enabled": True, "cache_cluster_size": None}), [('"cache_cluster_enabled"', "true")]),
})
plan_write("SL102-cache-size-invalid", {
    "pass.json": (plan({"cache_cluster_enabled": True, "cache_cluster_size": "13.5"}), []),
    "fail.json": (plan({"cache_cluster_enabled": True, "cache_cluster_size": "12"}), [('"cache_cluster_size"', '"12"')]),
})
plan_write("SL301-canary-percent-out-of-range", {
    "pass.json": (plan({"canary_settings": [{"percent_traffic": 100, "deployment_id": "d1"}]}), []),
    "fail.json": (plan({"canary_settings": [{"percent_traffic": 100.5, "deployment_id": "d1"}]}), [('"percent_traffic"', "100.5")]),
})
