using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>The token endpoint over plain HTTP (PROMISES S4, S6): password and an unused TOTP code, every time.</summary>
public sealed class TokenTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostTokenAsync(HttpClient client, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(text);
        return (response.StatusCode, json.RootElement.Clone());
    }

    private static Dictionary<string, string> PasswordGrant(DemoUser user, string otp, string? password = null) => new()
    {
        ["grant_type"] = "password",
        ["client_id"] = "paygo-cli",
        ["username"] = user.Email,
        ["password"] = password ?? DemoUsers.Password,
        ["otp"] = otp,
        ["scope"] = "offline_access",
    };

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PasswordGrant_CorrectUnusedCode_GivesAnMfaToken_AndTheSameCodeIsThenRefused(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateAnonymousClient();
        var user = TestUsers.OperatorAdmin;
        var code = TestUsers.Code(user);

        var first = await PostTokenAsync(client, PasswordGrant(user, code));
        var again = await PostTokenAsync(client, PasswordGrant(user, code));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("Bearer", first.Body.GetProperty("token_type").GetString());
        Assert.True(first.Body.TryGetProperty("refresh_token", out _));
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("invalid_grant", again.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PasswordGrant_WithoutACode_IsRefused()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();
        var form = PasswordGrant(TestUsers.OperatorAdmin, string.Empty);
        form.Remove("otp");

        var (status, body) = await PostTokenAsync(client, form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PasswordGrant_TenWrongCodes_LockTheAccountEvenForTheRightCode(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateAnonymousClient();
        var user = TestUsers.OperatorAdmin;

        for (var i = 0; i < 10; i++)
        {
            var (status, _) = await PostTokenAsync(client, PasswordGrant(user, "000000"));
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }

        var right = await PostTokenAsync(client, PasswordGrant(user, TestUsers.Code(user)));

        Assert.Equal(HttpStatusCode.BadRequest, right.Status);
        await using var db = server.CreateDbContext();
        var stored = await db.Users.SingleAsync(u => u.Email == user.Email, TestContext.Current.CancellationToken);
        Assert.True(stored.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14));
        Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.OperationType == "user_locked_out", TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PasswordGrant_TwentyParallelGuessers_ShareOneCounterOfTen(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var user = TestUsers.OperatorAdmin;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var client = server.CreateAnonymousClient();
            return await PostTokenAsync(client, PasswordGrant(user, (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        await using var db = server.CreateDbContext();
        var guessesChecked = await db.AuditRecords.CountAsync(
            r => r.UserPrincipalName == user.Email && r.ResourceNewValue!.Contains("wrong one-time code"), TestContext.Current.CancellationToken);
        Assert.True(guessesChecked <= 10, $"{guessesChecked} guesses were checked; at most 10 may be.");
        var stored = await db.Users.SingleAsync(u => u.Email == user.Email, TestContext.Current.CancellationToken);
        Assert.True(stored.LockoutEnd > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task PasswordGrant_UnknownUserAndWrongPassword_GetTheSameAnswer()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();
        var known = TestUsers.OperatorAdmin;
        var unknown = known with { Email = "nobody@nowhere.example" };

        var wrongPassword = await PostTokenAsync(client, PasswordGrant(known, TestUsers.Code(known), "Wrong-Password-123"));
        var unknownUser = await PostTokenAsync(client, PasswordGrant(unknown, "123456"));

        Assert.Equal(wrongPassword.Status, unknownUser.Status);
        Assert.Equal(wrongPassword.Body.ToString(), unknownUser.Body.ToString());
    }

    [Fact]
    public async Task RefreshToken_RotatesAndCannotBeUsedTwice()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();
        var user = TestUsers.OperatorAdmin;
        var (_, first) = await PostTokenAsync(client, PasswordGrant(user, TestUsers.Code(user)));
        var refreshToken = first.GetProperty("refresh_token").GetString()!;
        var refresh = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = "paygo-cli", ["refresh_token"] = refreshToken };

        var rotated = await PostTokenAsync(client, refresh);
        var reused = await PostTokenAsync(client, refresh);

        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.NotEqual(refreshToken, rotated.Body.GetProperty("refresh_token").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
    }

    /// <summary>
    /// Reuse of a rotated refresh token means it was stolen (or the client is broken): OpenIddict
    /// revokes the chain (its authorization), and Paygo refuses the chain's access tokens on their
    /// very next request too (PROMISES S6), not only at their expiry 60 minutes later. Another
    /// sign-in of the same user is another chain and keeps working (docs/adr/0018).
    /// </summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RefreshTokenReuse_RevokesTheChainsAccessTokens_ButNotAnotherSessionOfTheUser(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateAnonymousClient();
        var user = TestUsers.OperatorAdmin;
        var (_, first) = await PostTokenAsync(client, PasswordGrant(user, TestUsers.Code(user)));
        var (_, other) = await PostTokenAsync(client, PasswordGrant(user, TestUsers.Code(user, stepsAhead: 1)));
        var refresh = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = "paygo-cli", ["refresh_token"] = first.GetProperty("refresh_token").GetString()! };
        var (rotatedStatus, rotated) = await PostTokenAsync(client, refresh);
        Assert.Equal(HttpStatusCode.OK, rotatedStatus);
        var chain = new[] { first.GetProperty("access_token").GetString()!, rotated.GetProperty("access_token").GetString()! };
        foreach (var token in chain)
        {
            Assert.Equal(HttpStatusCode.OK, await GetPartnersAsync(client, token));
        }

        var (reusedStatus, reused) = await PostTokenAsync(client, refresh);

        Assert.Equal(HttpStatusCode.BadRequest, reusedStatus);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());
        foreach (var token in chain)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetPartnersAsync(client, token));
        }

        var (newRefreshStatus, _) = await PostTokenAsync(client, new Dictionary<string, string>(refresh) { ["refresh_token"] = rotated.GetProperty("refresh_token").GetString()! });
        Assert.Equal(HttpStatusCode.BadRequest, newRefreshStatus);
        Assert.Equal(HttpStatusCode.OK, await GetPartnersAsync(client, other.GetProperty("access_token").GetString()!));
    }

    private static async Task<HttpStatusCode> GetPartnersAsync(HttpClient client, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/partners");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task RefreshToken_OfADisabledUser_IsRefused()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();
        var user = TestUsers.OperatorAdmin;
        var (_, first) = await PostTokenAsync(client, PasswordGrant(user, TestUsers.Code(user)));
        await using (var db = server.CreateDbContext())
        {
            await db.Users.Where(u => u.Email == user.Email).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true), TestContext.Current.CancellationToken);
        }

        var (status, body) = await PostTokenAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "paygo-cli",
            ["refresh_token"] = first.GetProperty("refresh_token").GetString()!,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PasswordGrant_WhenConfigurationForbidsIt_IsUnsupported()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, settings: new Dictionary<string, string?> { ["Paygo:Auth:AllowPasswordGrant"] = "false" });
        using var client = server.CreateAnonymousClient();
        var user = TestUsers.OperatorAdmin;

        var (status, body) = await PostTokenAsync(client, PasswordGrant(user, TestUsers.Code(user)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unsupported_grant_type", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Discovery_PublishesTheTokenEndpoint()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();

        using var response = await client.GetAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken);

        var document = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.EndsWith("/connect/token", document.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
    }
}
