// The AWS SDK for Go v2 against Rampart: IAM (awsQuery, XML), STS, Organizations
// (awsJson1.1) and the Account API (restJson1), with errors parsed into the SDK's typed
// exceptions. Built offline in GOPATH mode against Debian's golang-github-aws-aws-sdk-go-v2-dev
// and driven by crates/rampart/tests/e2e/sdk_go.rs with an administrator's keys in RAMPART_*.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

var ctx = context.Background()

func check(ok bool, format string, args ...interface{}) {
	if !ok {
		fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
		os.Exit(1)
	}
}

func must(err error, what string) {
	check(err == nil, "%s: %v", what, err)
}

// config signs with the given keys and sends every service to Rampart, with no retries.
func config(key, secret, token string) aws.Config {
	endpoint := os.Getenv("RAMPART_ENDPOINT")
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
		EndpointResolverWithOptions: aws.EndpointResolverWithOptionsFunc(
			func(service, region string, options ...interface{}) (aws.Endpoint, error) {
				return aws.Endpoint{URL: endpoint, HostnameImmutable: true, SigningRegion: region}, nil
			}),
		RetryMaxAttempts: 1,
	}
}

// status is the HTTP status of a failed call.
func status(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// apiError is the modeled or generic AWS error inside err.
func apiError(err error) smithy.APIError {
	var ae smithy.APIError
	check(errors.As(err, &ae), "not an AWS API error: %v", err)
	return ae
}

func main() {
	admin := config(os.Getenv("RAMPART_ACCESS_KEY_ID"), os.Getenv("RAMPART_SECRET_ACCESS_KEY"), "")
	iamc := iam.NewFromConfig(admin)
	stsc := sts.NewFromConfig(admin)
	orgc := organizations.NewFromConfig(admin)
	acct := account.NewFromConfig(admin)

	me, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(err, "GetCallerIdentity")
	accountID := aws.ToString(me.Account)
	check(strings.HasPrefix(aws.ToString(me.Arn), "arn:aws:iam::"+accountID+":user/"), "caller %s", aws.ToString(me.Arn))

	// A user, its typed errors, a key.
	created, err := iamc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("go-user"), Path: aws.String("/go/")})
	must(err, "CreateUser")
	check(aws.ToString(created.User.Arn) == "arn:aws:iam::"+accountID+":user/go/go-user", "user arn %s", aws.ToString(created.User.Arn))
	check(created.User.CreateDate != nil && !created.User.CreateDate.IsZero(), "CreateDate not parsed")
	_, err = iamc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("go-user")})
	var exists *iamtypes.EntityAlreadyExistsException
	check(errors.As(err, &exists), "duplicate user: want EntityAlreadyExistsException, got %v", err)
	check(status(err) == 409, "duplicate user status %d", status(err))
	check(exists.ErrorMessage() == "User with name go-user already exists.", "message %q", exists.ErrorMessage())
	_, err = iamc.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	var missing *iamtypes.NoSuchEntityException
	check(errors.As(err, &missing), "missing user: want NoSuchEntityException, got %v", err)
	check(status(err) == 404, "missing user status %d", status(err))
	_, err = iamc.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String("{}")})
	var malformed *iamtypes.MalformedPolicyDocumentException
	check(errors.As(err, &malformed), "bad policy: want MalformedPolicyDocumentException, got %v", err)

	key, err := iamc.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("go-user")})
	must(err, "CreateAccessKey")
	check(strings.HasPrefix(aws.ToString(key.AccessKey.AccessKeyId), "AKIA"), "key id %s", aws.ToString(key.AccessKey.AccessKeyId))

	// A role the user may assume, and a managed policy that lets it.
	trust, _ := json.Marshal(map[string]interface{}{
		"Version": "2012-10-17",
		"Statement": []interface{}{map[string]interface{}{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]string{"AWS": aws.ToString(created.User.Arn)},
		}},
	})
	role, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("go-role"), AssumeRolePolicyDocument: aws.String(string(trust))})
	must(err, "CreateRole")
	allow, _ := json.Marshal(map[string]interface{}{
		"Version": "2012-10-17",
		"Statement": []interface{}{map[string]interface{}{
			"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": aws.ToString(role.Role.Arn),
		}},
	})
	policy, err := iamc.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("go-assume"), PolicyDocument: aws.String(string(allow))})
	must(err, "CreatePolicy")
	_, err = iamc.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("go-user"), PolicyArn: policy.Policy.Arn})
	must(err, "AttachUserPolicy")

	// IAM's Marker paging through the SDK's paginator.
	var names []string
	pages := iam.NewListUsersPaginator(iamc, &iam.ListUsersInput{MaxItems: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		must(err, "ListUsers page")
		for _, u := range page.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	check(len(names) >= 2 && strings.Contains(strings.Join(names, ","), "go-user"), "users %v", names)

	// The user assumes the role; the session works and is named.
	userSts := sts.NewFromConfig(config(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), ""))
	assumed, err := userSts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("go-session")})
	must(err, "AssumeRole")
	want := "arn:aws:sts::" + accountID + ":assumed-role/go-role/go-session"
	check(aws.ToString(assumed.AssumedRoleUser.Arn) == want, "assumed %s", aws.ToString(assumed.AssumedRoleUser.Arn))
	check(assumed.Credentials.Expiration != nil && !assumed.Credentials.Expiration.IsZero(), "Expiration not parsed")
	c := assumed.Credentials
	roleSts := sts.NewFromConfig(config(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
	asRole, err := roleSts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(err, "GetCallerIdentity as the role")
	check(aws.ToString(asRole.Arn) == want, "as role %s", aws.ToString(asRole.Arn))
	// The role may not assume itself: STS's AccessDenied (unmodeled, so a generic API error).
	_, err = roleSts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("again")})
	ae := apiError(err)
	check(ae.ErrorCode() == "AccessDenied" && status(err) == 403, "self-assume: %s %d", ae.ErrorCode(), status(err))
	check(strings.Contains(ae.ErrorMessage(), "is not authorized to perform: sts:AssumeRole"), "message %q", ae.ErrorMessage())

	// Authentication failures: a wrong secret and an unknown key id.
	wrong := iam.NewFromConfig(config(aws.ToString(key.AccessKey.AccessKeyId), "not-the-secret", ""))
	_, err = wrong.GetUser(ctx, &iam.GetUserInput{})
	ae = apiError(err)
	check(ae.ErrorCode() == "SignatureDoesNotMatch" && status(err) == 403, "wrong secret: %s %d", ae.ErrorCode(), status(err))
	unknown := sts.NewFromConfig(config("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""))
	_, err = unknown.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	ae = apiError(err)
	check(ae.ErrorCode() == "InvalidClientTokenId" && status(err) == 403, "unknown key: %s %d", ae.ErrorCode(), status(err))

	// Organizations (awsJson1.1): not in use, then created with this account as management.
	_, err = orgc.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	var notInUse *orgtypes.AWSOrganizationsNotInUseException
	check(errors.As(err, &notInUse), "want AWSOrganizationsNotInUseException, got %v", err)
	org, err := orgc.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll})
	must(err, "CreateOrganization")
	check(aws.ToString(org.Organization.MasterAccountId) == accountID, "management %s", aws.ToString(org.Organization.MasterAccountId))
	_, err = orgc.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	var already *orgtypes.AlreadyInOrganizationException
	check(errors.As(err, &already), "want AlreadyInOrganizationException, got %v", err)
	roots, err := orgc.ListRoots(ctx, &organizations.ListRootsInput{})
	must(err, "ListRoots")
	check(len(roots.Roots) == 1 && len(roots.Roots[0].PolicyTypes) == 1 &&
		roots.Roots[0].PolicyTypes[0].Type == orgtypes.PolicyTypeServiceControlPolicy &&
		roots.Roots[0].PolicyTypes[0].Status == orgtypes.PolicyTypeStatusEnabled, "roots %+v", roots.Roots)
	accounts, err := orgc.ListAccounts(ctx, &organizations.ListAccountsInput{})
	must(err, "ListAccounts")
	check(len(accounts.Accounts) == 1 && aws.ToString(accounts.Accounts[0].Id) == accountID, "accounts %+v", accounts.Accounts)
	check(accounts.Accounts[0].JoinedTimestamp != nil && !accounts.Accounts[0].JoinedTimestamp.IsZero(), "JoinedTimestamp not parsed")
	_, err = orgc.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("999999999999")})
	var noAccount *orgtypes.AccountNotFoundException
	check(errors.As(err, &noAccount), "want AccountNotFoundException, got %v", err)

	// The Account API (restJson1): a contact round trip and its typed 404.
	_, err = acct.GetAlternateContact(ctx, &account.GetAlternateContactInput{AlternateContactType: accounttypes.AlternateContactTypeSecurity})
	var notFound *accounttypes.ResourceNotFoundException
	check(errors.As(err, &notFound) && status(err) == 404, "want ResourceNotFoundException, got %v", err)
	_, err = acct.PutAlternateContact(ctx, &account.PutAlternateContactInput{
		AlternateContactType: accounttypes.AlternateContactTypeSecurity, Name: aws.String("Sec"), Title: aws.String("CISO"),
		EmailAddress: aws.String("sec@example.com"), PhoneNumber: aws.String("+1-555-0100"),
	})
	must(err, "PutAlternateContact")
	got, err := acct.GetAlternateContact(ctx, &account.GetAlternateContactInput{AlternateContactType: accounttypes.AlternateContactTypeSecurity})
	must(err, "GetAlternateContact")
	check(aws.ToString(got.AlternateContact.Title) == "CISO", "contact %+v", got.AlternateContact)
	_, err = acct.PutAlternateContact(ctx, &account.PutAlternateContactInput{
		AlternateContactType: accounttypes.AlternateContactTypeSecurity, Name: aws.String("Sec"), Title: aws.String("CISO"),
		EmailAddress: aws.String("not-an-address"), PhoneNumber: aws.String("+1-555-0100"),
	})
	var invalid *accounttypes.ValidationException
	check(errors.As(err, &invalid) && status(err) == 400, "want ValidationException, got %v", err)

	fmt.Println("ok")
}
