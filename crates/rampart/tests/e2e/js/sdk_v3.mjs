// The AWS SDK for JavaScript v3 against Rampart: IAM (awsQuery, XML), STS and Organizations
// (awsJson1.1), with errors parsed into the SDK's own exception classes. Driven by
// crates/rampart/tests/e2e/sdk_js.rs with an administrator's keys in RAMPART_*.
import assert from "node:assert/strict";

import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  EntityAlreadyExistsException,
  GetUserCommand,
  IAMClient,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  paginateListUsers,
} from "@aws-sdk/client-iam";
import {
  AWSOrganizationsNotInUseException,
  CreateOrganizationCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";

const endpoint = process.env.RAMPART_ENDPOINT;
const region = "us-east-1";
const admin = {
  accessKeyId: process.env.RAMPART_ACCESS_KEY_ID,
  secretAccessKey: process.env.RAMPART_SECRET_ACCESS_KEY,
};
const config = (credentials) => ({ endpoint, region, credentials, maxAttempts: 1 });

/** Runs `promise`, which must reject with an instance of `type`; returns the error. */
async function rejects(promise, type) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${err.name}: ${err.message}`);
    assert.ok(err.$metadata.requestId, "error without a request id");
    return err;
  }
  assert.fail(`expected ${type.name}, the call succeeded`);
}

const iam = new IAMClient(config(admin));
const sts = new STSClient(config(admin));
const orgs = new OrganizationsClient(config(admin));

const me = await sts.send(new GetCallerIdentityCommand({}));
assert.match(me.Arn, /^arn:aws:iam::\d{12}:user\//);
const account = me.Account;

// A user with a key and a managed policy of its own.
const created = await iam.send(new CreateUserCommand({ UserName: "js-user", Path: "/js/" }));
assert.equal(created.User.Arn, `arn:aws:iam::${account}:user/js/js-user`);
assert.ok(created.User.CreateDate instanceof Date);
const duplicate = await rejects(iam.send(new CreateUserCommand({ UserName: "js-user" })), EntityAlreadyExistsException);
assert.equal(duplicate.$metadata.httpStatusCode, 409);
assert.equal(duplicate.message, "User with name js-user already exists.");
const missing = await rejects(iam.send(new GetUserCommand({ UserName: "nobody" })), NoSuchEntityException);
assert.equal(missing.$metadata.httpStatusCode, 404);
await rejects(
  iam.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument: "{}" })),
  MalformedPolicyDocumentException,
);

const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "js-user" }))).AccessKey;
assert.match(key.AccessKeyId, /^AKIA/);
const trust = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:user/js/js-user` }, Action: "sts:AssumeRole" }],
};
const role = (await iam.send(new CreateRoleCommand({ RoleName: "js-role", AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role;
const allowAssume = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: role.Arn }],
};
const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: "js-assume", PolicyDocument: JSON.stringify(allowAssume) }))).Policy;
assert.equal(policy.Arn, `arn:aws:iam::${account}:policy/js-assume`);
await iam.send(new AttachUserPolicyCommand({ UserName: "js-user", PolicyArn: policy.Arn }));

// Paginated listing follows IAM's Marker.
const names = [];
for await (const page of paginateListUsers({ client: iam, pageSize: 1 }, {})) {
  names.push(...page.Users.map((u) => u.UserName));
}
assert.ok(names.includes("js-user") && names.length >= 2, `users: ${names}`);

// The new user assumes the role; the session's credentials work and name the session.
const userCreds = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
const userSts = new STSClient(config(userCreds));
const assumed = await userSts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "js-session" }));
assert.equal(assumed.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/js-role/js-session`);
assert.ok(assumed.Credentials.Expiration instanceof Date);
const roleSts = new STSClient(
  config({
    accessKeyId: assumed.Credentials.AccessKeyId,
    secretAccessKey: assumed.Credentials.SecretAccessKey,
    sessionToken: assumed.Credentials.SessionToken,
  }),
);
const asRole = await roleSts.send(new GetCallerIdentityCommand({}));
assert.equal(asRole.Arn, assumed.AssumedRoleUser.Arn);
// The role may not assume itself: an STS AccessDenied, parsed from STS's XML error.
const denied = await rejects(
  roleSts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "again" })),
  STSServiceException,
);
assert.equal(denied.name, "AccessDenied");
assert.equal(denied.$metadata.httpStatusCode, 403);

// Organizations (awsJson1.1): not in use yet, then created with this account as management.
await rejects(orgs.send(new DescribeOrganizationCommand({})), AWSOrganizationsNotInUseException);
const org = (await orgs.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }))).Organization;
assert.equal(org.MasterAccountId, account);
const roots = (await orgs.send(new ListRootsCommand({}))).Roots;
assert.equal(roots.length, 1);
assert.deepEqual(roots[0].PolicyTypes, [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }]);
const accounts = (await orgs.send(new ListAccountsCommand({}))).Accounts;
assert.deepEqual(
  accounts.map((a) => a.Id),
  [account],
);
assert.ok(accounts[0].JoinedTimestamp instanceof Date);

console.log("ok");
