using System.Net;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// Approving a device code hands a 90-day refresh token to whoever started the flow, so only an
/// explicit click on Paygo's own confirmation page approves: a forged form from another origin
/// (even a same-site one, which SameSite=Strict lets through), or a POST without the page's
/// antiforgery token, approves nothing.
/// </summary>
public sealed class DeviceApprovalTests
{
    private const string ThisOrigin = "http://localhost";

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ForgedAutoSubmittingFormFromAnotherOrigin_ApprovesNothing(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var victim = new DashboardClient(server);
        await victim.SignInAsync(TestUsers.OperatorAdmin);
        var (deviceCode, userCode) = await DashboardClient.StartDeviceFlowAsync(server);

        // What the attacker's page on a sibling origin submits in the victim's browser; even a
        // token the attacker somehow had would not help from there.
        var token = DashboardClient.AntiforgeryToken((await victim.GetAsync("/device")).Html);
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/connect/verify")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["user_code"] = userCode,
                ["decision"] = "approve",
                ["__RequestVerificationToken"] = token,
            }),
        };
        forged.Headers.Add("Origin", "http://attacker.localhost");
        forged.Headers.Add("Sec-Fetch-Site", "same-site");
        using var response = await victim.SendAsync(forged);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Forbidden, 990403);
        Assert.Equal((null, "authorization_pending"), await DashboardClient.PollDeviceAsync(server, deviceCode));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ApprovalWithoutTheAntiforgeryToken_ApprovesNothing(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var victim = new DashboardClient(server);
        await victim.SignInAsync(TestUsers.OperatorAdmin);
        var (deviceCode, userCode) = await DashboardClient.StartDeviceFlowAsync(server);

        var (_, response) = await victim.PostFormAsync("/connect/verify", new() { ["user_code"] = userCode, ["decision"] = "approve" }, ThisOrigin);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", response.Html, StringComparison.Ordinal);
        Assert.Equal((null, "authorization_pending"), await DashboardClient.PollDeviceAsync(server, deviceCode));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ConfirmationPage_NamesClientScopesAndCode_AndOnlyTheApproveButtonApproves(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var user = new DashboardClient(server);
        await user.SignInAsync(TestUsers.OperatorAdmin);
        var (deviceCode, userCode) = await DashboardClient.StartDeviceFlowAsync(server);

        var page = await user.GetAsync("/connect/verify?user_code=" + Uri.EscapeDataString(userCode));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(userCode), page.Html, StringComparison.Ordinal);
        Assert.Contains("paygo-cli", page.Html, StringComparison.Ordinal);
        Assert.Contains("refresh token that keeps working for up to 90 days", page.Html, StringComparison.Ordinal);
        var token = DashboardClient.AntiforgeryToken(page.Html);

        // The same form without the button's value (a script submitting it, say) approves nothing.
        var (cancelled, _) = await user.PostFormAsync("/connect/verify", new() { ["user_code"] = userCode, ["__RequestVerificationToken"] = token }, ThisOrigin);
        Assert.Contains("result=cancelled", cancelled.Url, StringComparison.Ordinal);
        Assert.Equal((null, "authorization_pending"), await DashboardClient.PollDeviceAsync(server, deviceCode));

        var (approved, _) = await user.PostFormAsync("/connect/verify", new()
        {
            ["user_code"] = userCode,
            ["decision"] = "approve",
            ["__RequestVerificationToken"] = token,
        }, ThisOrigin);
        Assert.Contains("data-testid=\"device-approved\"", approved.Html, StringComparison.Ordinal);
        var (accessToken, error) = await DashboardClient.PollDeviceAsync(server, deviceCode);
        Assert.Null(error);
        Assert.False(string.IsNullOrEmpty(accessToken));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ConfirmationPage_WrongCode_SaysSoAndOffersNoApproval(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var user = new DashboardClient(server);
        await user.SignInAsync(TestUsers.OperatorAdmin);

        var page = await user.GetAsync("/connect/verify?user_code=WRONG-CODE");

        Assert.Contains("data-testid=\"device-invalid\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("device-approve", page.Html, StringComparison.Ordinal);
    }
}
