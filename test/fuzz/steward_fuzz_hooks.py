"""Schemathesis hooks for Steward's fuzz run (test/support/fuzz.ts sets SCHEMATHESIS_HOOKS and STEWARD_FUZZ_DEMO).

The published document stays as it is. Only for this run:
- a create's URLs and client credentials are the demo provider's, so creates succeed and the stateful phase has
  integrations to read, refresh, report on and revoke;
- a change's URLs and a webhook's URL are the demo provider's or one of a list the guard must refuse (internal,
  metadata, loopback elsewhere, credentials, other schemes, fragments) or that resolves nowhere.
So the one provider the run can reach is the demo provider.
"""
import json
import os
import re

import schemathesis

DEMO = json.loads(os.environ["STEWARD_FUZZ_DEMO"])

REFUSED = [
    "http://10.0.0.1/token",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://127.0.0.1:1/token",  # loopback, but not the demo provider: nothing listens there
    "https://user:secret@provider.invalid/token",
    "ftp://provider.invalid/token",
    "https://provider.invalid/token#fragment",
    "https://provider.invalid/token",  # resolves nowhere
    "not a url",
]


def demo_or_refused(value):
    return {"type": "string", "enum": [value, *REFUSED]}


def body_schema(raw_schema, path, method):
    return raw_schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]


@schemathesis.hook
def before_load_schema(context, raw_schema):
    create = body_schema(raw_schema, "/v1/integrations", "post")
    props = create["properties"]
    for field in ("tokenUrl", "revocationUrl", "authorizationUrl", "issuer", "redirectUri", "clientId", "clientSecret"):
        props[field] = {"const": DEMO[field]}
    props["apiBaseUrl"] = {"const": "https://api.example.com"}
    props["scope"] = {"enum": ["read", "read write", "openid"]}
    # The grants the demo client has without a refresh token to hand; labels and owners the text rule lets through.
    props["grantType"] = {"enum": ["client_credentials", "authorization_code"]}
    props["label"] = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9 ]{0,39}$"}
    props["owner"] = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9 ]{0,39}$"}
    # Client secrets only: the key-based methods and the JWT bearer grant have suites of their own, and a fuzzed key
    # or method would make every create a 400, leaving the stateful phase nothing to work on.
    props["tokenAuthMethod"] = {"enum": ["client_secret_basic", "client_secret_post"]}
    for field in ("refreshToken", "preset", "presetValues", "privateKey", "clientAssertionAlg", "clientKeyId", "certificate", "assertionSubject", "assertionAudience", "dpop"):
        props.pop(field, None)
    # Without a preset an API base URL is required, as the route says; the other URLs may come from the issuer. With
    # privateKey gone the client secret is the only credential left, which the route requires (the document cannot
    # say "one of clientSecret or privateKey"): a create without it is a 400 however the rest is drawn.
    create["required"] = sorted(set(create["required"]) | {"apiBaseUrl", "clientSecret"})

    update = body_schema(raw_schema, "/v1/integrations/{id}", "patch")
    for field in ("tokenUrl", "revocationUrl", "authorizationUrl", "redirectUri"):
        update["properties"][field] = demo_or_refused(DEMO[field])
    update["properties"]["apiBaseUrl"] = demo_or_refused("https://api.example.com")
    body_schema(raw_schema, "/v1/webhooks", "post")["properties"]["url"] = demo_or_refused(DEMO["issuer"] + "/webhook")


@schemathesis.hook
def map_body(context, body):
    """A create leaves out optional fields as often as not; fill the absent ones with the demo provider's so a create
    can succeed (the stateful phase needs integrations). Only absent fields: a negative case stays negative."""
    op = context.operation
    if op is not None and op.method.upper() == "POST" and op.path == "/v1/integrations" and isinstance(body, dict):
        for field in ("tokenUrl", "authorizationUrl", "redirectUri"):
            body.setdefault(field, DEMO[field])
        body.setdefault("scope", "read write")
    return body


# A V8 stack frame ("    at fn (/path/file.ts:12:34)") or a Python traceback: never in an answer.
STACK_TRACE = re.compile(r"\n\s+at .+:\d+:\d+\)?|Traceback \(most recent call last\)")
# Secrets the run knows: the demo client's secret (sent in creates) must never come back.
SECRETS = [DEMO["clientSecret"]]


@schemathesis.check
def no_stack_trace_or_secret(ctx, response, case):
    text = response.text or ""
    if STACK_TRACE.search(text):
        raise AssertionError("The response carries a stack trace")
    for secret in SECRETS:
        if secret in text:
            raise AssertionError("The response carries a client secret")
