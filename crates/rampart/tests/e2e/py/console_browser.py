"""The console in headless Chromium (WebDriver): root sign-in, the MFA wizard, sign-in with
the MFA code, users created in the console, an IAM user's forced password change, an
AccessDenied page, refused cross-site and token-less form posts, and lockout.

Environment: RAMPART_ENDPOINT, RAMPART_ACCOUNT, ROOT_EMAIL, ROOT_PASSWORD, SHOTS_DIR (a
screenshot per failed step goes there), DOCS_DIR (optional: the README screenshots).
"""
import os
import time

from selenium.webdriver.common.by import By

from console_driver import body, fill, go, press, replaced, reset_link, sign_out, start, step, until_heading
from rampart_test import totp

endpoint = os.environ["RAMPART_ENDPOINT"]
account = os.environ["RAMPART_ACCOUNT"]
root_email = os.environ["ROOT_EMAIL"]
root_password = os.environ["ROOT_PASSWORD"]
shots = os.environ["SHOTS_DIR"]
docs = os.environ.get("DOCS_DIR")

downloads = os.path.join(shots, "downloads")
driver, wait = start(endpoint, shots, downloads=downloads)


def root_password_step():
    go("/console/signin?as=root")
    fill("email", root_email)
    press("Next")
    fill("password", root_password)
    press("Sign in")


state = {}


@step("sign-in page offers root user and IAM user and every input has a label")
def _():
    go("/")
    assert driver.current_url.endswith("/console/"), driver.current_url
    assert "IAM user" in body() and "Root user" in body()
    for field in driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden])"):
        assert driver.find_elements(By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']"), field
    go(f"/console/signin?account={account}")
    assert driver.find_element(By.NAME, "account").get_attribute("value") == account
    if docs:
        driver.set_window_size(900, 640)
        go("/console/signin?as=root")
        driver.save_screenshot(os.path.join(docs, "console-signin.png"))
        driver.set_window_size(1200, 760)


@step("root signs in with email and password and lands on the dashboard")
def _():
    root_password_step()
    until_heading("IAM Dashboard")
    assert "Add MFA for root user" in body()


@step("MFA wizard: device name, QR code, secret key, two consecutive codes")
def _():
    go("/console/security-credentials")
    until_heading("My security credentials")
    fill("VirtualMFADeviceName", "root-phone")
    press("Assign MFA device")
    until_heading("Assign MFA device")
    qr = driver.find_element(By.CSS_SELECTOR, "img.qr")
    assert qr.get_attribute("src").startswith("data:image/png;base64,")
    assert driver.execute_script("return arguments[0].naturalWidth", qr) > 0
    driver.find_element(By.XPATH, "//summary[normalize-space()='Show secret key']").click()
    seed = driver.find_element(By.ID, "secret-key").text.strip()
    assert len(seed) >= 32, seed
    c = int(time.time()) // 30
    fill("AuthenticationCode1", totp(seed, c - 1))
    fill("AuthenticationCode2", totp(seed, c))
    press("Add MFA")
    until_heading("My security credentials")
    assert "MFA device assigned." in body()
    assert "root-phone" in body()
    state["seed"], state["counter"] = seed, c


@step("after sign out, root sign-in asks for the MFA code")
def _():
    sign_out()
    root_password_step()
    until_heading("Multi-factor authentication")
    fill("code", "000000" if totp(state["seed"], state["counter"] + 1) != "000000" else "111111")
    press("Submit")
    until_heading("Multi-factor authentication")
    assert "incorrect" in body()
    fill("code", totp(state["seed"], state["counter"] + 1))
    press("Submit")
    until_heading("IAM Dashboard")
    assert "MFA is active for root" in body()


@step("page-load figure: dashboard render against a GetCallerIdentity baseline")
def _():
    import statistics
    import urllib.request
    import boto3
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    def dashboard():
        request = urllib.request.Request(endpoint + "/console/", headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as response:
            assert b"IAM Dashboard" in response.read()
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id=os.environ["ADMIN_ACCESS_KEY_ID"],
                       aws_secret_access_key=os.environ["ADMIN_SECRET_ACCESS_KEY"])
    def timed(fn, n=30):
        fn()
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)
    page = timed(dashboard)
    baseline = timed(sts.get_caller_identity)
    print(f"page-load: dashboard median {page:.2f} ms, GetCallerIdentity median {baseline:.2f} ms (30 each)")


@step("root creates users in the console")
def _():
    go("/console/users")
    until_heading("Users")
    fill("UserName", "carol")
    fill("Password", "Carol-Passw0rd-1")
    press("Create user")
    until_heading("carol")
    assert "User carol created." in body()
    assert "IAMUserChangePassword" in body()
    go("/console/users")
    fill("UserName", "dave")
    fill("Password", "Dave-Passw0rd-1")
    driver.find_element(By.NAME, "PasswordResetRequired").click()
    press("Create user")
    until_heading("dave")
    if docs:
        go("/console/")
        until_heading("IAM Dashboard")
        driver.save_screenshot(os.path.join(docs, "console-dashboard.png"))


@step("groups: create, add a user, attach a policy")
def _():
    go("/console/groups")
    fill("GroupName", "Auditors")
    press("Create group")
    until_heading("Auditors")
    press("Add users")  # the first user not yet in the group
    until_heading("Auditors")
    assert "User added." in body()
    fill("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
    press("Attach policy")
    until_heading("Auditors")
    assert "ReadOnlyAccess" in body()


@step("deleting a user and a group takes the typed name and removes what holds them")
def _():
    go("/console/groups")
    fill("GroupName", "Temp")
    press("Create group")
    until_heading("Temp")
    fill("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
    press("Attach policy")
    go("/console/users")
    fill("UserName", "temp-user")
    fill("Password", "Temp-Passw0rd-1")
    driver.find_element(By.CSS_SELECTOR, "select[name=GroupName] option[value=Temp]").click()
    press("Create user")
    until_heading("temp-user")
    press("Create access key")
    until_heading("Retrieve access key")
    go("/console/users/temp-user")
    old = driver.find_element(By.TAG_NAME, "html")
    fill("confirm", "wrong-name")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/delete'] button").click()
    wait.until(replaced(old))
    assert "Enter the name exactly" in body()
    go("/console/users/temp-user")
    old = driver.find_element(By.TAG_NAME, "html")
    fill("confirm", "temp-user")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/delete'] button").click()
    wait.until(replaced(old))
    until_heading("Users")
    assert "User temp-user deleted." in body()
    go("/console/groups/Temp")
    old = driver.find_element(By.TAG_NAME, "html")
    fill("confirm", "Temp")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/delete'] button").click()
    wait.until(replaced(old))
    until_heading("User groups")
    assert "User group Temp deleted." in body()


@step("policies: the JSON editor shows validation messages, then creates the policy")
def _():
    go("/console/policies?scope=AWS&filter=readonly")
    assert "ReadOnlyAccess" in body()
    go("/console/policies/create")
    fill("PolicyDocument", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}')
    fill("PolicyName", "ReadIam")
    press("Create policy")
    until_heading("Create policy")
    error = driver.find_element(By.CSS_SELECTOR, ".alert.error").text
    assert error, "a validation message"
    assert "Statement" in driver.find_element(By.NAME, "PolicyDocument").get_attribute("value")
    fill("PolicyDocument", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]}')
    press("Create policy")
    until_heading("ReadIam")
    assert "Policy ReadIam created." in body()
    fill("EntityName", "Auditors")
    driver.find_element(By.CSS_SELECTOR, "select[name=EntityType] option[value=group]").click()
    press("Attach policy")
    until_heading("ReadIam")
    assert "Attached entities: 1" in body()


@step("visual policy editor, policy versions, edit and delete")
def _():
    go("/console/policies/visual?service=iam&filter=getuser")
    until_heading("Create policy (visual editor)")
    labels = [l.text for l in driver.find_elements(By.CSS_SELECTOR, "fieldset label code")]
    assert "iam:GetUser" in labels and all("getuser" in l.lower() for l in labels), labels
    driver.find_element(By.NAME, "action-GetUser").click()
    driver.find_element(By.NAME, "RequireMfa").click()
    press("Next")
    until_heading("Create policy")
    generated = driver.find_element(By.NAME, "PolicyDocument").get_attribute("value")
    assert '"iam:GetUser"' in generated and "aws:MultiFactorAuthPresent" in generated, generated
    fill("PolicyName", "VisualGetUser")
    press("Create policy")
    until_heading("VisualGetUser")
    fill("PolicyDocument", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}]}')
    press("Save changes")
    until_heading("VisualGetUser")
    assert "the new version is the default" in body()
    versions = [r.text for r in driver.find_elements(By.XPATH, "//table[caption='Policy versions']/tbody/tr")]
    assert len(versions) == 2 and versions[0].startswith("v2") and "Default" in versions[0], versions
    press("Set as default")
    until_heading("VisualGetUser")
    assert "aws:MultiFactorAuthPresent" in body()
    press("Delete version")
    until_heading("VisualGetUser")
    press("Delete policy")
    until_heading("Policies")
    assert "Policy deleted." in body() and "VisualGetUser" not in body()


@step("roles: trusted account, MFA requirement, permissions, trust relationship")
def _():
    for name, policy, mfa in (("ConsoleReadOnly", "ReadOnlyAccess", False),
                              ("ConsoleAdmin", "AdministratorAccess", True)):
        go("/console/roles")
        until_heading("Roles")
        assert driver.find_element(By.NAME, "TrustedAccount").get_attribute("value") == account
        if mfa:
            driver.find_element(By.NAME, "RequireMfa").click()
        fill("PolicyArn", f"arn:aws:iam::aws:policy/{policy}")
        fill("RoleName", name)
        press("Create role")
        until_heading(name)
        assert policy in body()
        assert ("aws:MultiFactorAuthPresent" in body()) == mfa
        assert f"/console/switchrole?account={account}&roleName={name}&displayName={name}" in body()
    go("/console/policies/create")
    fill("PolicyDocument", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                           f'"Action": "sts:AssumeRole", "Resource": "arn:aws:iam::{account}:role/Console*"}}]}}')
    fill("PolicyName", "AssumeConsoleRoles")
    press("Create policy")
    until_heading("AssumeConsoleRoles")
    fill("EntityName", "carol")
    press("Attach policy")
    until_heading("AssumeConsoleRoles")
    go("/console/policies/create")
    fill("PolicyDocument", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ['
                           '"iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", '
                           '"iam:DeactivateMFADevice", "iam:DeleteVirtualMFADevice", "iam:ListAccessKeys"], '
                           f'"Resource": ["arn:aws:iam::{account}:mfa/*", '
                           f'"arn:aws:iam::{account}:user/${{aws:username}}"]}}]}}')
    fill("PolicyName", "ManageOwnMFA")
    press("Create policy")
    until_heading("ManageOwnMFA")
    fill("EntityName", "carol")
    press("Attach policy")
    until_heading("ManageOwnMFA")


@step("account settings: password policy")
def _():
    go("/console/account-settings")
    until_heading("Account settings")
    fill("MinimumPasswordLength", "12")
    driver.find_element(By.NAME, "RequireSymbols").click()
    press("Save changes")
    until_heading("Account settings")
    assert "Password policy updated." in body()
    assert driver.find_element(By.NAME, "MinimumPasswordLength").get_attribute("value") == "12"
    assert driver.find_element(By.NAME, "RequireSymbols").is_selected()


@step("account: name, contact information, alternate contacts, security questions")
def _():
    go("/console/account")
    until_heading("Account")
    fill("AccountName", "console-walk-account")
    press("Update")
    until_heading("Account")
    assert driver.find_element(By.NAME, "AccountName").get_attribute("value") == "console-walk-account"
    for name, value in (("FullName", "Jane Doe"), ("AddressLine1", "1 Main St"), ("City", "Springfield"),
                        ("PostalCode", "12345"), ("CountryCode", "US"), ("PhoneNumber", "+1 555 0100")):
        fill(name, value)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[action='/console/account/contact'] button").click()
    wait.until(replaced(old))
    until_heading("Account")
    assert "Contact information updated." in body()
    assert driver.find_element(By.NAME, "City").get_attribute("value") == "Springfield"
    for name, value in (("Name", "Sec Team"), ("Title", "CISO"), ("EmailAddress", "sec@example.com"),
                        ("PhoneNumber", "+1 555 0101")):
        fill(f"SECURITY-{name}", value)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.XPATH, "//input[@name='SECURITY-Name']/ancestor::form//button").click()
    wait.until(replaced(old))
    until_heading("Account")
    assert "Alternate contact updated." in body()
    assert driver.find_element(By.NAME, "SECURITY-EmailAddress").get_attribute("value") == "sec@example.com"
    for i, (q, a) in enumerate((("First pet?", "rex"), ("Birth city?", "Paris"), ("First car?", "mini")), 1):
        fill(f"question{i}", q)
        fill(f"answer{i}", a)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[action='/console/account/security-questions'] button").click()
    wait.until(replaced(old))
    until_heading("Account")
    assert "Security challenge questions updated." in body()
    assert driver.find_element(By.NAME, "question2").get_attribute("value") == "Birth city?"


@step("organizations: create, the tree, an organizational unit and a member account")
def _():
    go("/console/organizations")
    until_heading("AWS Organizations")
    press("Create an organization")
    until_heading("AWS Organizations")
    assert "Organization created." in body() and account in body()
    fill("Name", "Security")
    press("Create organizational unit")
    until_heading("AWS Organizations")
    assert "Organizational unit Security" in body()
    fill("AccountName", "member-one")
    fill("Email", "member-one@example.com")
    press("Create AWS account")
    until_heading("AWS Organizations")
    assert "Account creation" in body()
    go("/console/organizations")
    assert "member-one" in body(), body()
    assert "FullAWSAccess" in body()


@step("a user's access key: secret shown once with a .csv download, deactivate, delete")
def _():
    go("/console/users/dave")
    until_heading("dave")
    press("Create access key")
    until_heading("Retrieve access key")
    codes = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "main code")]
    key_id, secret = codes[0], codes[1]
    assert key_id.startswith("AKIA") and len(secret) == 40, codes
    driver.find_element(By.XPATH, "//button[normalize-space()='Download .csv file']").click()
    csv_path = os.path.join(downloads, f"{key_id}_accessKeys.csv")
    wait.until(lambda d: os.path.exists(csv_path) and os.path.getsize(csv_path) > 0)
    with open(csv_path) as f:
        assert f.read() == f"Access key ID,Secret access key\n{key_id},{secret}\n"
    driver.find_element(By.LINK_TEXT, "Done").click()
    until_heading("dave")
    assert secret not in driver.page_source
    press("Deactivate")
    until_heading("dave")
    assert "Inactive" in body()
    press("Delete")
    until_heading("dave")
    assert key_id not in body()


@step("an administrator assigns and resyncs a user's MFA device from the user page")
def _():
    go("/console/users/dave")
    until_heading("dave")
    fill("VirtualMFADeviceName", "dave-phone")
    press("Assign MFA device")
    until_heading("Assign MFA device")
    driver.find_element(By.XPATH, "//summary[normalize-space()='Show secret key']").click()
    seed = driver.find_element(By.ID, "secret-key").text.strip()
    c = int(time.time()) // 30
    fill("AuthenticationCode1", totp(seed, c - 1))
    fill("AuthenticationCode2", totp(seed, c))
    press("Add MFA")
    until_heading("dave")
    assert "MFA device assigned." in body() and "dave-phone" in body()
    driver.find_element(By.XPATH, "//summary[normalize-space()='Resync']").click()
    fill("AuthenticationCode1", totp(seed, c + 1))
    fill("AuthenticationCode2", totp(seed, c + 2))
    press("Resync")
    until_heading("dave")
    assert "MFA device resynchronized." in body()
    go("/console/users")
    row = driver.find_element(By.XPATH, "//tr[td/a[text()='dave']]").text
    assert "Virtual" in row and "Enabled" in row, row


@step("credential report: generate, show, download")
def _():
    go("/console/credential-report")
    press("Generate credential report")
    until_heading("Credential report")
    assert "<root_account>" in body() and "carol" in body()
    driver.find_element(By.LINK_TEXT, "Download credentials report").click()
    path = os.path.join(downloads, "credential_report.csv")
    wait.until(lambda d: os.path.exists(path) and os.path.getsize(path) > 0)
    with open(path) as f:
        assert f.readline().startswith("user,arn,user_creation_time")


@step("account alias and the IAM users' sign-in URL")
def _():
    go("/console/")
    fill("AccountAlias", "console-walk")
    press("Create")
    until_heading("IAM Dashboard")
    assert "/console/signin?account=console-walk" in body()
    press("Delete")
    until_heading("IAM Dashboard")
    assert f"/console/signin?account={account}" in body()


@step("event history lists the console's actions, newest first")
def _():
    go("/console/event-history")
    until_heading("Event history")
    fill("AttributeValue", "CreateGroup")
    press("Apply filters")
    until_heading("Event history")
    rows = driver.find_elements(By.CSS_SELECTOR, "main tbody tr")
    # Newest first: the console's CreateGroup calls, then the one `rampart init` made.
    assert all(r.text.startswith("CreateGroup") for r in rows), [r.text for r in rows]
    assert "root" in rows[0].text and "127.0.0.1" in rows[0].text, rows[0].text
    rows[0].find_element(By.TAG_NAME, "summary").click()
    assert '"eventSource": "iam.amazonaws.com"' in rows[0].text
    go("/console/event-history?AttributeKey=EventSource&AttributeValue=signin.amazonaws.com")
    assert "ConsoleLogin" in body()
    driver.find_element(By.LINK_TEXT, "Download events (JSON)").click()
    path = os.path.join(downloads, "event_history.json")
    wait.until(lambda d: os.path.exists(path) and os.path.getsize(path) > 0)
    with open(path) as f:
        records = __import__("json").load(f)["Records"]
    assert records and all(r["eventSource"] == "signin.amazonaws.com" for r in records)
    # Fifty a page, newest first, with a link to the next page.
    go("/console/event-history")
    assert len(driver.find_elements(By.CSS_SELECTOR, "main tbody tr")) == 50
    driver.find_element(By.LINK_TEXT, "Next page").click()
    until_heading("Event history")
    assert driver.find_elements(By.CSS_SELECTOR, "main tbody tr")
    sign_out()


@step("IAM user with a reset-required password must change it, then sees AccessDenied")
def _():
    go(f"/console/signin?account={account}")
    fill("username", "carol")
    fill("password", "Carol-Passw0rd-1")
    press("Sign in")
    until_heading("Change password")
    assert "must be changed" in body()
    fill("old_password", "Carol-Passw0rd-1")
    fill("new_password", "Carol-Passw0rd-2")
    fill("confirm_password", "Carol-Passw0rd-2")
    press("Confirm password change")
    until_heading("Access denied")
    assert "is not authorized to perform: iam:GetAccountSummary" in body(), body()
    go("/console/users")
    until_heading("Access denied")
    assert "iam:ListUsers" in body()


@step("switch role: the role's permissions, MFA required by a trust policy, switch back")
def _():
    go(f"/console/switch-role?account={account}&roleName=ConsoleAdmin")
    press("Switch Role")
    until_heading("Access denied")
    assert "sts:AssumeRole" in body(), body()
    go(f"/console/switch-role?account={account}&roleName=ConsoleReadOnly")
    press("Switch Role")
    until_heading("IAM Dashboard")
    assert "ConsoleReadOnly/carol (role)" in body()
    go("/console/users")
    until_heading("Users")
    assert "carol" in body()
    press("Back to carol")
    until_heading("Access denied")
    assert "carol (IAM user)" in body()


@step("a form post without the session's CSRF token is refused")
def _():
    go("/console/users")
    until_heading("Access denied")
    # A page of the console itself, with the token removed from its sign-out form.
    old = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script(
        "var f=document.querySelector('form[action=\"/console/signout\"]');"
        "f.querySelector('input[name=csrf]').value='forged'; f.submit();")
    wait.until(replaced(old))
    until_heading("Request refused")
    assert "security token" in body()
    go("/console/users")
    until_heading("Access denied")  # still signed in: the forged post did nothing


@step("a cross-site form post is refused")
def _():
    page = ("<html><body><form id=f method=post action='" + endpoint + "/console/users'>"
            "<input name=UserName value=mallory><input name=csrf value=x></form>"
            "<script>document.getElementById('f').submit()</script></body></html>")
    driver.get("data:text/html," + page)
    until_heading("Request refused")
    assert "another site" in body()
    go("/console/users")
    sign_out()


def carol_password_step():
    go(f"/console/signin?account={account}")
    fill("username", "carol")
    fill("password", "Carol-Passw0rd-2")
    press("Sign in")


@step("an IAM user's own MFA device: the wizard, then sign-in asks for the code")
def _():
    carol_password_step()
    until_heading("Access denied")
    go("/console/security-credentials")
    until_heading("My security credentials")
    fill("VirtualMFADeviceName", "carol-phone")
    press("Assign MFA device")
    until_heading("Assign MFA device")
    driver.find_element(By.XPATH, "//summary[normalize-space()='Show secret key']").click()
    seed = driver.find_element(By.ID, "secret-key").text.strip()
    c = int(time.time()) // 30
    fill("AuthenticationCode1", totp(seed, c - 1))
    fill("AuthenticationCode2", totp(seed, c))
    press("Add MFA")
    until_heading("My security credentials")
    assert "carol-phone" in body()
    sign_out()
    carol_password_step()
    until_heading("Multi-factor authentication")
    fill("code", totp(seed, c + 1))
    press("Submit")
    until_heading("Access denied")


@step("a console session with MFA satisfies a role's MFA condition")
def _():
    go(f"/console/switch-role?account={account}&roleName=ConsoleAdmin")
    press("Switch Role")
    until_heading("IAM Dashboard")
    assert "ConsoleAdmin/carol (role)" in body()
    press("Back to carol")
    until_heading("Access denied")
    sign_out()


@step("repeated wrong passwords lock the user name")
def _():
    for _ in range(5):
        go(f"/console/signin?account={account}")
        fill("username", "dave")
        fill("password", "wrong-password")
        press("Sign in")
        wait.until(lambda d: "incorrect" in body())
    go(f"/console/signin?account={account}")
    fill("username", "dave")
    fill("password", "Dave-Passw0rd-1")
    press("Sign in")
    wait.until(lambda d: "Too many failed sign-in attempts" in body())
    # An unknown name locks the same way, so a lock tells nothing about existence.
    for _ in range(6):
        go(f"/console/signin?account={account}")
        fill("username", "nobody-here")
        fill("password", "wrong-password")
        press("Sign in")
    wait.until(lambda d: "Too many failed sign-in attempts" in body())


@step("root password recovery by email, then the root deletes its access keys and the dashboard turns green")
def _():
    email, outbox = os.environ["SECOND_EMAIL"], os.environ["OUTBOX"]
    go("/console/signin?as=root")
    fill("email", email)
    press("Next")
    driver.find_element(By.LINK_TEXT, "Forgot password?").click()
    until_heading("Forgot password?")
    fill("email", email)
    press("Send reset link")
    until_heading("Check your email")
    link = reset_link(outbox, email)
    driver.get(link)
    until_heading("Choose a new root password")
    fill("password", "Second-Root-Passw0rd!")
    press("Reset password")
    until_heading("Password changed")
    go("/console/signin?as=root")
    fill("email", email)
    press("Next")
    fill("password", "Second-Root-Passw0rd!")
    press("Sign in")
    until_heading("IAM Dashboard")
    keys_item = driver.find_element(By.XPATH, "//li[b[text()='Root user has no active access keys']]")
    assert keys_item.get_attribute("class") == "fail", keys_item.get_attribute("class")
    go("/console/security-credentials")
    until_heading("My security credentials")
    assert "Root user access keys provide unrestricted access" in body()
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Create access key']")
    press("Delete")
    until_heading("My security credentials")
    assert "Access key deleted." in body()
    go("/console/")
    keys_item = driver.find_element(By.XPATH, "//li[b[text()='Root user has no active access keys']]")
    assert keys_item.get_attribute("class") == "pass", keys_item.get_attribute("class")
    sign_out()


driver.quit()
print("console browser walk passed")
