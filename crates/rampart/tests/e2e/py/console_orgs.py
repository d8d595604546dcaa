"""The seeds' "Accessing member accounts" procedures in headless Chromium (WebDriver):
the management account's administrator creates a member account and switches into it
through OrganizationAccountAccessRole; an invited account's root (first password through
recovery mail) accepts the invitation and creates the role by hand; the management group
gets the AssumeRole policy; a group member switches (display name and colour in the
navigation bar), creates a user in the member account and goes back; a user outside the
group gets AccessDenied; the deny-root SCP attached from the console blocks the member
root; the role history offers the role again.

Environment: RAMPART_ENDPOINT, RAMPART_ACCOUNT, ROOT_EMAIL, ROOT_PASSWORD, INVITED_EMAIL,
INVITED_ACCOUNT, OUTBOX, SHOTS_DIR (a screenshot per failed step), DOCS_DIR (optional: the
README screenshots), PAGES_DIR (optional: a full-page screenshot after every step, for review).
Prints `member-account: ID` for the Rust side.
"""
import os

from selenium.webdriver.common.by import By

from console_driver import (body, click_and_wait, fill, go, press, reset_link, sign_out, start, step,
                            until_heading)

endpoint = os.environ["RAMPART_ENDPOINT"]
management = os.environ["RAMPART_ACCOUNT"]
root_email = os.environ["ROOT_EMAIL"]
root_password = os.environ["ROOT_PASSWORD"]
invited_email = os.environ["INVITED_EMAIL"]
invited = os.environ["INVITED_ACCOUNT"]
outbox = os.environ["OUTBOX"]
shots = os.environ["SHOTS_DIR"]
docs = os.environ.get("DOCS_DIR")
pages = os.environ.get("PAGES_DIR")
ROLE = "OrganizationAccountAccessRole"

state = {}


def snap(name):
    """A review screenshot of the current page (only with PAGES_DIR)."""
    if pages:
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1200, max(760, height))
        driver.save_screenshot(os.path.join(pages, f"{name}.png"))
        driver.set_window_size(1200, 760)


driver, wait = start(endpoint, shots, after_step=snap)


def choose(name, value):
    driver.find_element(By.CSS_SELECTOR, f"select[name={name}] option[value='{value}']").click()


def sign_in_user(account, name, password):
    go(f"/console/signin?account={account}")
    fill("username", name)
    fill("password", password)
    press("Sign in")


def sign_in_root(email, password):
    go("/console/signin?as=root")
    fill("email", email)
    press("Next")
    fill("password", password)
    press("Sign in")


def create_user(name, password, group=""):
    go("/console/users")
    until_heading("Users")
    fill("UserName", name)
    fill("Password", password)
    driver.find_element(By.NAME, "PasswordResetRequired").click()
    if group:
        choose("GroupName", group)
    press("Create user")
    until_heading(name)


def nav_role():
    """The switched role in the navigation bar: (text, class), or None."""
    found = driver.find_elements(By.ID, "switched-role")
    return (found[0].text, found[0].get_attribute("class")) if found else None


@step("management root creates the organization, an administrator, a group and two users")
def _():
    sign_in_root(root_email, root_password)
    until_heading("IAM Dashboard")
    go("/console/organizations")
    press("Create an organization")
    until_heading("AWS Organizations")
    assert "Organization created." in body()
    create_user("ops-admin", "Ops-Admin-Passw0rd!")
    fill("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
    press("Attach policy")
    until_heading("ops-admin")
    assert "AdministratorAccess" in body()
    go("/console/groups")
    fill("GroupName", "MemberAccountAdmins")
    press("Create group")
    until_heading("MemberAccountAdmins")
    create_user("alice", "Alice-Passw0rd-1!", group="MemberAccountAdmins")
    create_user("bob", "Bob-Passw0rd-1!")
    sign_out()


@step("the administrator creates a member account and follows CreateAccountStatus to SUCCEEDED")
def _():
    sign_in_user(management, "ops-admin", "Ops-Admin-Passw0rd!")
    until_heading("IAM Dashboard")
    go("/console/organizations/accounts/create")
    until_heading("Add an AWS account")
    assert driver.find_element(By.NAME, "RoleName").get_attribute("value") == ROLE
    fill("AccountName", "member-one")
    fill("Email", "member-one@example.com")
    press("Create AWS account")
    until_heading("AWS Organizations")
    assert "Account creation IN_PROGRESS" in body(), body()
    wait.until(lambda d: d.find_element(By.ID, "create-state").text == "SUCCEEDED")
    member = driver.find_element(By.ID, "created-account").text
    state["member"] = member
    print(f"member-account: {member}", flush=True)
    go("/console/organizations/accounts/create")
    assert "member-one" in body() and "SUCCEEDED" in body()


@step("organization tree: an OU renamed, the account moved into it, and the tree screenshot")
def _():
    go("/console/organizations")
    until_heading("AWS Organizations")
    fill("Name", "Workloads")
    press("Create organizational unit")
    until_heading("AWS Organizations")
    driver.find_element(By.LINK_TEXT, "Workloads").click()
    until_heading("Workloads")
    fill("Name", "Production")
    press("Rename")
    until_heading("Production")
    assert "Organizational unit renamed." in body()
    go(f"/console/organizations/targets/{state['member']}")
    until_heading("member-one")
    option = driver.find_element(By.XPATH, "//select[@name='DestinationParentId']/option[starts-with(text(), 'Production')]")
    option.click()
    press("Move")
    until_heading("member-one")
    assert "Account moved." in body()
    go("/console/organizations")
    tree = driver.find_element(By.CSS_SELECTOR, "ul.tree").text
    assert "Production" in tree and "member-one" in tree, tree
    assert tree.index("Production") < tree.index("member-one"), tree
    if docs:
        section = driver.find_element(By.XPATH, "//section[h2='AWS accounts']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", section)
        driver.save_screenshot(os.path.join(docs, "console-org-tree.png"))


@step("a member account closed and another removed from the organization")
def _():
    for name in ("member-two", "member-three"):
        go("/console/organizations/accounts/create")
        fill("AccountName", name)
        fill("Email", f"{name}@example.com")
        press("Create AWS account")
        wait.until(lambda d: d.find_element(By.ID, "create-state").text == "SUCCEEDED")
        state[name] = driver.find_element(By.ID, "created-account").text
    go(f"/console/organizations/targets/{state['member-two']}")
    until_heading("member-two")
    fill("confirm", "000000000000")
    press("Close account")
    until_heading("The request was not completed")
    assert "Enter the account ID exactly" in body()
    go(f"/console/organizations/targets/{state['member-two']}")
    fill("confirm", state["member-two"])
    press("Close account")
    until_heading("member-two")
    assert "the account is suspended" in body() and "SUSPENDED" in body()
    go(f"/console/organizations/targets/{state['member-three']}")
    until_heading("member-three")
    press("Remove from organization")
    until_heading("AWS Organizations")
    assert "Account removed from the organization." in body()
    tree = driver.find_element(By.CSS_SELECTOR, "ul.tree").text
    assert "member-three" not in tree and "member-two" in tree, tree


@step("one click from the tree switches into the member account through OrganizationAccountAccessRole")
def _():
    go("/console/organizations")
    press("Switch role into member-one")
    until_heading("IAM Dashboard")
    text, cls = nav_role()
    assert text == f"member-one @ {state['member']}", text
    assert f"Account ID {state['member']}" in body()
    go("/console/roles")
    until_heading("Roles")
    assert ROLE in body()
    press("Back to ops-admin")
    until_heading("IAM Dashboard")
    assert nav_role() is None and "Back to ops-admin" in body()


@step("invitations: invite by account ID, cancel, invite again")
def _():
    go("/console/organizations/invitations")
    until_heading("Invitations")
    fill("Target", invited)
    press("Send invitation")
    until_heading("Invitations")
    assert f"Invitation sent to {invited}." in body()
    press("Cancel invitation")
    until_heading("Invitations")
    assert "Invitation canceled." in body() and "CANCELED" in body()
    fill("Target", invited)
    press("Send invitation")
    until_heading("Invitations")
    sign_out()


@step("the invited account's root sets its first password through the recovery mail")
def _():
    go("/console/root/recover")
    fill("email", invited_email)
    press("Send reset link")
    until_heading("Check your email")
    link = reset_link(outbox, invited_email)
    driver.get(link)
    until_heading("Choose a new root password")
    fill("password", "Invited-Root-Passw0rd!")
    press("Reset password")
    until_heading("Password changed")


@step("the invited root declines an invitation, then accepts the next one, sent by email with a message")
def _():
    sign_in_root(invited_email, "Invited-Root-Passw0rd!")
    until_heading("IAM Dashboard")
    go("/console/organizations")
    until_heading("AWS Organizations")
    assert "Pending invitations" in body()
    press("Decline invitation")
    until_heading("Invitations")
    assert "Invitation declined." in body()
    sign_out()
    sign_in_user(management, "ops-admin", "Ops-Admin-Passw0rd!")
    go("/console/organizations/invitations")
    until_heading("Invitations")
    assert "DECLINED" in body()
    fill("Target", invited_email)
    fill("Notes", "Join the Rampart organization")
    press("Send invitation")
    until_heading("Invitations")
    row = driver.find_element(By.XPATH, f"//tr[td[normalize-space()='{invited_email}']]").text
    assert "REQUESTED" in row, row
    sign_out()
    sign_in_root(invited_email, "Invited-Root-Passw0rd!")
    until_heading("IAM Dashboard")
    go("/console/organizations")
    until_heading("AWS Organizations")
    assert "Join the Rampart organization" in body()
    press("Accept invitation")
    until_heading("AWS Organizations")
    assert "now a member of the organization" in body()
    assert management in body()


@step("the account page says the access role is missing; the role wizard is pre-filled for the management account")
def _():
    go("/console/account")
    until_heading("Account")
    assert f"{ROLE} does not exist in this account" in body(), body()
    go("/console/roles")
    until_heading("Roles")
    assert driver.find_element(By.NAME, "TrustedAccount").get_attribute("value") == management
    assert driver.find_element(By.NAME, "RoleName").get_attribute("value") == ROLE
    assert driver.find_element(By.NAME, "PolicyArn").get_attribute("value").endswith("/AdministratorAccess")
    press("Create role")
    until_heading(ROLE)
    assert "AdministratorAccess" in body() and f"arn:aws:iam::{management}:root" in body()
    go("/console/account")
    until_heading("Account")
    checks = [li.get_attribute("class") for li in driver.find_elements(By.CSS_SELECTOR, "ul.findings li")]
    assert checks == ["pass", "pass", "pass"], (checks, body())
    assert f"It trusts the management account {management}" in body()
    go("/console/")
    fill("AccountAlias", "invited-acct")
    press("Create")
    until_heading("IAM Dashboard")
    sign_out()


@step("the management group gets a policy allowing sts:AssumeRole on the member role")
def _():
    sign_in_user(management, "ops-admin", "Ops-Admin-Passw0rd!")
    until_heading("IAM Dashboard")
    go("/console/policies/create")
    fill("PolicyDocument", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", '
                           f'"Resource": "arn:aws:iam::{invited}:role/{ROLE}"}}]}}')
    fill("PolicyName", "AssumeInvitedAccountAccess")
    press("Create policy")
    until_heading("AssumeInvitedAccountAccess")
    fill("EntityName", "MemberAccountAdmins")
    choose("EntityType", "group")
    press("Attach policy")
    until_heading("AssumeInvitedAccountAccess")
    assert "Attached entities: 1" in body()


@step("policies: RCPs enabled, the deny-root SCP from the example attached to the invited account")
def _():
    go("/console/organizations/policies?type=RESOURCE_CONTROL_POLICY")
    press("Enable Resource control policies")
    until_heading("AWS Organizations")
    assert "RESOURCE_CONTROL_POLICY enabled." in body()
    go("/console/organizations/policies?type=SERVICE_CONTROL_POLICY")
    driver.find_element(By.PARTIAL_LINK_TEXT, "deny the member accounts' root user").click()
    until_heading("Create policy")
    assert "arn:aws:iam::*:root" in driver.find_element(By.NAME, "PolicyDocument").get_attribute("value")
    press("Create policy")
    until_heading("DenyRootUser")
    assert "Policy DenyRootUser created." in body()
    choose("TargetId", invited)
    press("Attach policy")
    until_heading("DenyRootUser")
    assert "Policy attached." in body() and f"Detach from" in body()
    go(f"/console/organizations/targets/{invited}")
    snap("target-page")
    rows = [r.text for r in driver.find_elements(By.XPATH, "//table[caption='Policies that apply to this account']/tbody/tr")]
    assert any(r.startswith("DenyRootUser") and "Directly attached" in r for r in rows), rows
    assert any(r.startswith("FullAWSAccess") and "Inherited from" in r for r in rows), rows


@step("the SCP editor shows the policy engine's message and the visual editor writes a deny SCP")
def _():
    go("/console/organizations/policies/create?type=SERVICE_CONTROL_POLICY")
    fill("PolicyDocument", '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny"}]}')
    fill("Name", "Broken")
    press("Create policy")
    until_heading("Create policy")
    assert driver.find_element(By.CSS_SELECTOR, ".alert.error").text
    go("/console/policies/visual?for=SERVICE_CONTROL_POLICY&service=organizations&filter=leave")
    until_heading("Create policy (visual editor)")
    driver.find_element(By.NAME, "action-LeaveOrganization").click()
    press("Next")
    until_heading("Create policy")
    generated = driver.find_element(By.NAME, "PolicyDocument").get_attribute("value")
    assert '"Deny"' in generated and "organizations:LeaveOrganization" in generated, generated
    fill("Name", "DenyLeaving")
    press("Create policy")
    until_heading("DenyLeaving")
    fill("Description", "Members stay")
    press("Save changes")
    until_heading("DenyLeaving")
    assert "Policy updated." in body() and "Members stay" in body()
    choose("TargetId", state["member"])
    press("Attach policy")
    until_heading("DenyLeaving")
    press("Detach from member-one")
    until_heading("DenyLeaving")
    assert "Policy detached." in body()
    # The root and an OU take it too; each target's page detaches it again.
    policy_page = driver.current_url
    for label in ("Root", "Production"):
        driver.find_element(By.XPATH, f"//select[@name='TargetId']/option[starts-with(text(), '{label} (')]").click()
        press("Attach policy")
        until_heading("DenyLeaving")
        assert "Policy attached." in body()
        target = driver.find_element(By.XPATH, "//table[caption='Attached to']/tbody/tr/td/a")
        click_and_wait(target)
        press("Detach DenyLeaving")
        assert "Policy detached." in body()
        driver.get(policy_page)
        until_heading("DenyLeaving")
    assert "Not attached." in body()
    press("Delete policy")
    until_heading("Policies")
    assert "Policy deleted." in body()
    go("/console/organizations")
    press("Disable Resource control policies")
    until_heading("AWS Organizations")
    assert "RESOURCE_CONTROL_POLICY disabled." in body()
    assert driver.find_elements(By.XPATH, "//button[normalize-space()='Enable Resource control policies']")


@step("trusted access and a delegated administrator: enable, register, deregister")
def _():
    go("/console/organizations/services")
    until_heading("Services")
    choose("ServicePrincipal", "account.amazonaws.com")
    press("Enable trusted access")
    until_heading("Services")
    assert "Trusted access enabled for account.amazonaws.com." in body()
    fill("AccountId", state["member"])
    driver.find_elements(By.CSS_SELECTOR, "select[name=ServicePrincipal] option[value='account.amazonaws.com']")[-1].click()
    press("Register delegated administrator")
    until_heading("Services")
    row = driver.find_element(By.XPATH, "//table[caption='Delegated administrators']/tbody/tr").text
    assert state["member"] in row and "account.amazonaws.com" in row, row
    # Inside the delegated administrator account the organization is read-only.
    go("/console/organizations")
    press("Switch role into member-one")
    until_heading("IAM Dashboard")
    go("/console/organizations")
    until_heading("AWS Organizations")
    assert "read-only: this account is a delegated administrator" in body(), body()
    tree = driver.find_element(By.CSS_SELECTOR, "ul.tree").text
    assert "member-one" in tree and "Production" in tree, tree
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Create organizational unit']")
    assert "OrganizationAccountAccessRole exists" in body()
    go("/console/organizations/services")
    until_heading("Services")
    assert "account.amazonaws.com" in body()
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Register delegated administrator']")
    press("Back to ops-admin")
    go("/console/organizations/services")
    press(f"Deregister {state['member']}")
    until_heading("Services")
    assert "no longer a delegated administrator" in body()
    # A member account leaves the organization from inside.
    go("/console/organizations")
    press("Switch role into member-one")
    until_heading("IAM Dashboard")
    go("/console/organizations")
    press("Leave organization")
    until_heading("AWS Organizations")
    assert "This account left the organization." in body() and "Create an organization" in body()
    press("Back to ops-admin")
    go("/console/organizations")
    assert "member-one" not in driver.find_element(By.CSS_SELECTOR, "ul.tree").text
    sign_out()


@step("a group member switches with a display name and colour, creates a user in the member account, goes back")
def _():
    sign_in_user(management, "alice", "Alice-Passw0rd-1!")
    click_and_wait(driver.find_element(By.LINK_TEXT, "Switch role"))  # the header's entry
    until_heading("Switch role")
    fill("account", "invited-acct")  # the account's alias works as well as its ID
    fill("roleName", ROLE)
    fill("displayName", "Invited admin")
    driver.find_element(By.CSS_SELECTOR, "label[for='c-B7CA9D']").click()
    press("Switch Role")
    until_heading("IAM Dashboard")
    text, cls = nav_role()
    assert text == f"Invited admin @ {invited}", text
    assert "role-B7CA9D" in cls, cls
    badge = driver.find_element(By.ID, "switched-role")
    assert badge.value_of_css_property("background-color") == "rgba(183, 202, 157, 1)"
    assert f"Account ID {invited}" in body() and "Back to alice" in body()
    if docs:
        driver.set_window_size(1200, 420)
        driver.save_screenshot(os.path.join(docs, "console-switch-role.png"))
        driver.set_window_size(1200, 760)
    create_user("helper", "Helper-Passw0rd-1!")
    assert "User helper created." in body()
    press("Back to alice")
    until_heading("Access denied")
    assert nav_role() is None and "alice (IAM user)" in body()
    assert "Back to alice: you are using your own identity again." in body()


@step("role history offers the role again")
def _():
    go("/console/switchrole")
    until_heading("Switch role")
    snap("switch-role-form")
    press(f"Invited admin @ {invited}")
    until_heading("IAM Dashboard")
    assert nav_role()[0] == f"Invited admin @ {invited}"
    press("Back to alice")
    until_heading("Access denied")
    sign_out()


@step("a user outside the group opens the switch-role link and gets AccessDenied")
def _():
    sign_in_user(management, "bob", "Bob-Passw0rd-1!")
    go(f"/console/switchrole?account={invited}&roleName={ROLE}&displayName=Invited")
    until_heading("Switch role")
    assert driver.find_element(By.NAME, "account").get_attribute("value") == invited
    assert driver.find_element(By.NAME, "displayName").get_attribute("value") == "Invited"
    press("Switch Role")
    until_heading("Access denied")
    assert "is not authorized to perform: sts:AssumeRole" in body(), body()
    assert nav_role() is None
    sign_out()


@step("the deny-root SCP blocks the member root's actions in the console")
def _():
    sign_in_root(invited_email, "Invited-Root-Passw0rd!")
    until_heading("Access denied")
    assert "service control policy" in body(), body()
    assert not driver.find_elements(By.LINK_TEXT, "Switch role")  # the root user cannot switch
    go("/console/users")
    until_heading("Access denied")
    assert "explicit deny in a service control policy" in body(), body()
    sign_out()


driver.quit()
print("console organizations walk passed")
