"""Hand check: drive a served stytch-emulator with Stytch's official Python SDK.

Not run by CI. See docs/EMULATOR.md ("Checked against the official Python SDK") for setup:

    python3 -m venv /tmp/stytch-venv
    /tmp/stytch-venv/bin/pip install stytch==15.3.0 bcrypt==5.0.0
    stytch-emulator --seed seed.json --port 0      # prints the URL
    EMULATOR_URL=http://127.0.0.1:PORT /tmp/stytch-venv/bin/python official_sdk_check.py

The SDK parses every body into its pydantic models (missing required fields raise), so each
call passing means the emulator's responses are accepted as Stytch's.
"""

import base64
import json
import os
import secrets
import urllib.request

import bcrypt
import stytch
from stytch.core.response_base import StytchError

URL = os.environ["EMULATOR_URL"]
PROJECT_ID = os.environ.get("PROJECT_ID", "project-test-11111111-2222-4333-8444-555555555555")
SECRET = os.environ.get("SECRET", "secret-test-local-only")
ORG = "acme"
GRACE = f"grace-{secrets.token_hex(4)}@acme.com"  # new each run: the script can run again

# `custom_base_url` must be https://; `environment` takes any URL that is not "test"/"live".
client = stytch.B2BClient(project_id=PROJECT_ID, secret=SECRET, environment=URL)
passwords = client.passwords

r = passwords.strength_check(password="quasar-Mauve-kettle-1987", email_address="ada@acme.com")
assert r.valid_password and r.strength_policy == "zxcvbn" and r.zxcvbn_feedback is not None
print("strength_check ok: score", r.score)

hashed = bcrypt.hashpw(b"Migrated-Heron-Lantern-77", bcrypt.gensalt(rounds=4)).decode()
r = passwords.migrate(
    email_address=GRACE, hash=hashed, hash_type="bcrypt", organization_id=ORG,
    name="Grace Hopper",
)
assert r.member_created and r.member.email_address == GRACE
print("migrate ok:", r.member_id)

r = passwords.authenticate(
    organization_id=ORG, email_address=GRACE, password="Migrated-Heron-Lantern-77",
    session_duration_minutes=60,
)
assert r.member_authenticated and r.session_token and r.member_session is not None
print("authenticate ok: session", r.member_session.member_session_id)

r = passwords.email.reset_start(organization_id=ORG, email_address="ada@acme.com")
assert r.member_id and r.member.email_address == "ada@acme.com"
print("email.reset_start ok")

# The served emulator's control API (same Basic credentials) hands out the emailed token.
outbox = urllib.request.Request(URL + "/_emulator/outbox")
outbox.add_header("Authorization", "Basic " + base64.b64encode(f"{PROJECT_ID}:{SECRET}".encode()).decode())
with urllib.request.urlopen(outbox) as resp:
    token = json.load(resp)[-1]["token"]
r = passwords.email.reset(password_reset_token=token, password="orbit-Saffron-lantern-" + secrets.token_hex(2))
assert r.member_authenticated and r.member_email_id
print("email.reset ok")

r = passwords.existing_password.reset(
    email_address=GRACE, existing_password="Migrated-Heron-Lantern-77",
    new_password="velvet-Comet-harbor-5512", organization_id=ORG,
)
assert r.member_authenticated and r.session_jwt
print("existing_password.reset ok")

r = passwords.discovery.authenticate(
    email_address=GRACE, password="velvet-Comet-harbor-5512"
)
assert r.intermediate_session_token and r.discovered_organizations
print("discovery.authenticate ok:", [d.organization.organization_slug
                                     for d in r.discovered_organizations])

try:
    passwords.authenticate(organization_id=ORG, email_address="ada@acme.com", password="nope-Wrong-1")
    raise SystemExit("wrong password was accepted")
except StytchError as e:
    assert e.details.status_code == 401, e.details
    assert e.details.error_type == "unauthorized_credentials", e.details
    assert e.details.request_id and e.details.error_message
    print("wrong password ok:", e.details.error_type)

print("ALL OK")
