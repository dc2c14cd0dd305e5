using System.Net;
using Microsoft.EntityFrameworkCore;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// Signing out ends the dashboard session on the server (DashboardSessionStore): a copy of the
/// <c>paygo.session</c> cookie taken before is worth nothing afterwards, neither for pages nor
/// for approving a device code.
/// </summary>
public sealed class SignOutTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task SignOut_ThenTheCopiedCookieIsReplayed_IsSignedOutAndCannotApproveADevice(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var user = new DashboardClient(server);
        await user.SignInAsync(TestUsers.OperatorAdmin);
        var (deviceCode, userCode) = await DashboardClient.StartDeviceFlowAsync(server);

        // The thief copies every cookie and the confirmation page's antiforgery token.
        var confirmation = await user.GetAsync("/connect/verify?user_code=" + Uri.EscapeDataString(userCode));
        var token = DashboardClient.AntiforgeryToken(confirmation.Html);
        var copied = new Dictionary<string, string>(user.Cookies);

        var signOutPage = await user.GetAsync("/signout");
        var (signedOut, _) = await user.PostFormAsync("/signout", new()
        {
            ["_handler"] = "signout",
            ["__RequestVerificationToken"] = DashboardClient.AntiforgeryToken(signOutPage.Html),
        });
        Assert.Contains("data-testid=\"signed-out\"", signedOut.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/signin\"", signedOut.Html, StringComparison.Ordinal);
        await using (var db = server.CreateDbContext())
        {
            Assert.Equal(0, await db.DashboardSessions.CountAsync(TestContext.Current.CancellationToken));
        }

        using var thief = new DashboardClient(server);
        foreach (var (name, value) in copied)
        {
            thief.Cookies[name] = value;
        }

        using (var home = new HttpRequestMessage(HttpMethod.Get, "/"))
        using (var response = await thief.SendAsync(home))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        var (_, approval) = await thief.PostFormAsync("/connect/verify", new()
        {
            ["user_code"] = userCode,
            ["decision"] = "approve",
            ["__RequestVerificationToken"] = token,
        }, "http://localhost");
        Assert.NotEqual("/device?result=approved", approval.Location?.ToString());
        Assert.Equal((null, "authorization_pending"), await DashboardClient.PollDeviceAsync(server, deviceCode));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task SignIn_KeepsTheSessionOnTheServer_AndTheCookieOnlyNamesIt(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var user = new DashboardClient(server);
        await user.SignInAsync(TestUsers.OperatorAdmin);

        var home = await user.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("data-testid=\"signed-in-user\"", home.Html, StringComparison.Ordinal);
        await using var db = server.CreateDbContext();
        var session = await db.DashboardSessions.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(TestUsers.OperatorAdmin.Id, session.UserId);
        Assert.True(session.ExpiresAt > DateTimeOffset.UtcNow.AddHours(7));
    }
}
