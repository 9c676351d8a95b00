// A Node test suite using a served stytch-emulator as its Stytch backend, with the official
// `stytch` SDK and node:test. Not run by `cargo test`; see docs/EMULATOR.md ("Python and Node
// test suites"):
//
//   npm install stytch@14.2.0
//   stytch-emulator --print-json > /tmp/emulator.json &      # one JSON line: url, credentials
//   EMULATOR_JSON=/tmp/emulator.json node --test node_suite.test.mjs
//
// The suite asks for a fresh project, so suites can run in parallel against one emulator
// without seeing each other's data; each test starts from the project's seed.

import { readFileSync } from "node:fs";
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import * as stytch from "stytch";

const INFO = JSON.parse(readFileSync(process.env.EMULATOR_JSON, "utf8"));
const PASSWORD = "quasar-Mauve-kettle-1987";

/** Calls the emulator's control API as `project`; returns [status, JSON]. */
async function control(method, path, body, project = INFO) {
  const credentials = Buffer.from(`${project.project_id}:${project.secret}`).toString("base64");
  const response = await fetch(INFO.url + path, {
    method,
    headers: { Authorization: `Basic ${credentials}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return [response.status, await response.json()];
}

let project;
let client;

before(async () => {
  const [status, created] = await control("POST", "/_emulator/projects", {
    seed: {
      organizations: [{
        name: "Acme", slug: "acme",
        members: [{ email_address: "ada@acme.com", password: PASSWORD }],
      }],
    },
  });
  assert.equal(status, 200);
  project = created;
  // `custom_base_url` must be https://; `env` takes any base URL (the SDK warns, harmlessly).
  client = new stytch.B2BClient({
    project_id: project.project_id, secret: project.secret, env: INFO.url + "/",
  });
});

after(async () => {
  await control("DELETE", "/_emulator/project", undefined, project);
});

beforeEach(async () => {
  const [status] = await control("POST", "/_emulator/reset", undefined, project);
  assert.equal(status, 200);
});

test("login and local JWT verification", async () => {
  const login = await client.passwords.authenticate({
    organization_id: "acme", email_address: "ada@acme.com", password: PASSWORD,
  });
  assert.equal(login.member_authenticated, true);
  // The SDK fetches the public JWKS (no credentials) and verifies the JWT locally.
  const session = await client.sessions.authenticateJwtLocal({ session_jwt: login.session_jwt });
  assert.equal(session.member_id, login.member_id);
  assert.equal(session.organization_slug, "acme");
});

test("reset email from the outbox", async () => {
  await client.passwords.email.resetStart({ organization_id: "acme", email_address: "ada@acme.com" });
  const [status, outbox] = await control("GET", "/_emulator/outbox", undefined, project);
  assert.equal(status, 200);
  assert.equal(outbox.length, 1);
  const reset = await client.passwords.email.reset({
    password_reset_token: outbox[0].token, password: "orbit-Saffron-lantern-2042",
  });
  assert.equal(reset.member_authenticated, true);
});

test("an injected fault", async () => {
  await control("POST", "/_emulator/faults", {
    kind: "error", status: 503, error_type: "service_unavailable", error_message: "Down.",
  }, project);
  await assert.rejects(
    client.passwords.authenticate({
      organization_id: "acme", email_address: "ada@acme.com", password: PASSWORD,
    }),
    (e) => e.status_code === 503 && e.error_type === "service_unavailable",
  );
});
