"""A Python test suite using a served stytch-emulator as its Stytch backend, with the official
`stytch` SDK. Not run by `cargo test`; see docs/EMULATOR.md ("Python and Node test suites"):

    python3 -m venv /tmp/stytch-venv && /tmp/stytch-venv/bin/pip install stytch==15.3.0
    stytch-emulator --print-json > /tmp/emulator.json &      # one JSON line: url, credentials
    EMULATOR_JSON=/tmp/emulator.json /tmp/stytch-venv/bin/python -m unittest python_suite.py

Each test class asks for a fresh project, so classes can run in parallel against one emulator
without seeing each other's data; `setUp` puts the project back to its seed.
"""

import base64
import json
import os
import unittest
import urllib.error
import urllib.request

import stytch

INFO = json.load(open(os.environ["EMULATOR_JSON"]))
PASSWORD = "quasar-Mauve-kettle-1987"


def control(method, path, body=None, project=INFO):
    """Calls the emulator's control API as `project`; returns (status, JSON)."""
    credentials = base64.b64encode(f"{project['project_id']}:{project['secret']}".encode())
    request = urllib.request.Request(
        INFO["url"] + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Basic " + credentials.decode(),
                 "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


class PasswordLogin(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        status, project = control("POST", "/_emulator/projects", {"seed": {
            "organizations": [{"name": "Acme", "slug": "acme", "members": [
                {"email_address": "ada@acme.com", "password": PASSWORD}]}],
            "lockout": {"max_failed_attempts": 3, "window_seconds": 3600, "lock_seconds": 600},
        }})
        assert status == 200, project
        cls.project = project
        # `environment` takes any base URL other than "test"/"live".
        cls.client = stytch.B2BClient(project_id=project["project_id"],
                                      secret=project["secret"], environment=INFO["url"])

    @classmethod
    def tearDownClass(cls):
        control("DELETE", "/_emulator/project", project=cls.project)

    def setUp(self):
        self.assertEqual(control("POST", "/_emulator/reset", project=self.project)[0], 200)

    def test_login_and_local_jwt_verification(self):
        login = self.client.passwords.authenticate(
            organization_id="acme", email_address="ada@acme.com", password=PASSWORD)
        self.assertTrue(login.member_authenticated)
        # The SDK fetches the public JWKS (no credentials) and verifies the JWT locally.
        session = self.client.sessions.authenticate_jwt_local(session_jwt=login.session_jwt)
        self.assertIsNotNone(session)
        self.assertEqual(session.member_id, login.member_id)
        jwks = self.client.sessions.get_jwks(project_id=self.project["project_id"])
        self.assertEqual(jwks.keys[0].key_ops, ["verify"])

    def test_lockout_and_unlock_through_the_clock(self):
        for _ in range(3):
            with self.assertRaises(stytch.core.response_base.StytchError):
                self.client.passwords.authenticate(
                    organization_id="acme", email_address="ada@acme.com", password="wrong")
        with self.assertRaises(stytch.core.response_base.StytchError) as locked:
            self.client.passwords.authenticate(
                organization_id="acme", email_address="ada@acme.com", password=PASSWORD)
        self.assertEqual(locked.exception.details.error_type, "user_lock_limit_reached")
        control("POST", "/_emulator/clock/advance", {"seconds": 600}, project=self.project)
        login = self.client.passwords.authenticate(
            organization_id="acme", email_address="ada@acme.com", password=PASSWORD)
        self.assertTrue(login.member_authenticated)

    def test_reset_email_from_the_outbox(self):
        self.client.passwords.email.reset_start(
            organization_id="acme", email_address="ada@acme.com")
        status, outbox = control("GET", "/_emulator/outbox", project=self.project)
        self.assertEqual((status, len(outbox)), (200, 1))
        reset = self.client.passwords.email.reset(
            password_reset_token=outbox[0]["token"], password="orbit-Saffron-lantern-2042")
        self.assertTrue(reset.member_authenticated)

    def test_an_injected_fault(self):
        control("POST", "/_emulator/faults", {
            "kind": "error", "status": 429, "error_type": "too_many_requests",
            "error_message": "Slow down.", "on_path": "/v1/b2b/passwords/authenticate",
        }, project=self.project)
        with self.assertRaises(stytch.core.response_base.StytchError) as e:
            self.client.passwords.authenticate(
                organization_id="acme", email_address="ada@acme.com", password=PASSWORD)
        self.assertEqual(e.exception.details.status_code, 429)


if __name__ == "__main__":
    unittest.main()
