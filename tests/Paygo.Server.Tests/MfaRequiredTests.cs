using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Identity;
using Paygo.Server.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// DOMAIN.md §2: a user-context call whose token lacks <c>mfa</c> in <c>amr</c> gets 401 with
/// <c>WWW-Authenticate: Bearer error="invalid_token", error_description="MFA required"</c>.
/// Paygo's own token server never issues such a token, so the rule is proven on the handlers.
/// </summary>
public sealed class MfaRequiredTests
{
    [Fact]
    public async Task UserTokenWithoutMfa_FailsAuthorizationWithTheMfaReason()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        await using var scope = server.Services.CreateAsyncScope();
        var handler = ActivatorUtilities.CreateInstance<PermissionHandler>(scope.ServiceProvider);
        var user = TestUsers.OperatorAdmin;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(PaygoClaims.Subject, user.Id.ToString()),
            new Claim(PaygoClaims.Kind, PaygoClaims.UserKind),
            new Claim(PaygoClaims.Tenant, TenantNames.Operator),
            new Claim(PaygoClaims.Role, nameof(PartnerRole.GlobalAdmin)),
            new Claim(PaygoClaims.AuthenticationMethod, "pwd"),
        ], "test"));
        var requirement = new PermissionRequirement(ApiOperation.PartnersRead);
        var context = new AuthorizationHandlerContext([requirement], principal, null);

        await handler.HandleAsync(context);

        Assert.False(context.HasSucceeded);
        Assert.Contains(context.FailureReasons, r => r.Message == PermissionHandler.MfaRequired);
    }

    [Fact]
    public async Task MfaFailure_OnTheApi_Is401WithTheExactChallenge()
    {
        var handler = new ApiAuthorizationResultHandler(new AuthorizationMiddlewareResultHandler());
        var http = new DefaultHttpContext();
        http.Request.Path = "/v1/partners";
        http.Response.Body = new MemoryStream();
        var failure = AuthorizationFailure.Failed([new AuthorizationFailureReason(new Microsoft.AspNetCore.Authorization.Infrastructure.PassThroughAuthorizationHandler(), PermissionHandler.MfaRequired)]);

        await handler.HandleAsync(_ => Task.CompletedTask, http, new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build(), PolicyAuthorizationResult.Forbid(failure));

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"MFA required\"", http.Response.Headers.WWWAuthenticate.ToString());
        http.Response.Body.Position = 0;
        Assert.Contains("MFA required", await new StreamReader(http.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
