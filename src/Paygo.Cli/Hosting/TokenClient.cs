using System.Text.Json;

namespace Paygo.Cli.Hosting;

/// <summary>Talks to the token endpoint as the public client <c>paygo-cli</c>.</summary>
internal static class TokenClient
{
    public const string ClientId = "paygo-cli";

    public static Task<SavedTokens> PasswordAsync(HttpClient http, string user, string password, string otp, TimeProvider clock, CancellationToken cancellationToken) =>
        RequestAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = ClientId,
            ["username"] = user,
            ["password"] = password,
            ["otp"] = otp,
            ["scope"] = "offline_access",
        }, clock, cancellationToken);

    public static Task<SavedTokens> RefreshAsync(HttpClient http, string refreshToken, TimeProvider clock, CancellationToken cancellationToken) =>
        RequestAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ClientId,
            ["refresh_token"] = refreshToken,
        }, clock, cancellationToken);

    public static Task<SavedTokens> AuthorizationCodeAsync(HttpClient http, string code, string redirectUri, string verifier, TimeProvider clock, CancellationToken cancellationToken) =>
        RequestAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        }, clock, cancellationToken);

    /// <summary>One poll of the device flow: the tokens, or null while the person has not approved yet.</summary>
    public static async Task<(SavedTokens? Tokens, bool SlowDown)> PollDeviceAsync(HttpClient http, string deviceCode, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            return (await RequestAsync(http, new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
                ["client_id"] = ClientId,
                ["device_code"] = deviceCode,
            }, clock, cancellationToken), false);
        }
        catch (CliFailure failure) when (failure.ErrorCode is "authorization_pending" or "slow_down")
        {
            return (null, failure.ErrorCode == "slow_down");
        }
    }

    private static async Task<SavedTokens> RequestAsync(HttpClient http, Dictionary<string, string> form, TimeProvider clock, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(form), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliFailure($"Cannot reach the Paygo server at {http.BaseAddress}: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            var root = json.RootElement;
            if (!response.IsSuccessStatusCode || !root.TryGetProperty("access_token", out var access))
            {
                var description = root.TryGetProperty("error_description", out var d) ? d.GetString() : $"HTTP {(int)response.StatusCode}";
                var error = root.TryGetProperty("error", out var code) ? code.GetString() : null;
                throw new CliFailure($"Sign-in refused: {description}") { ErrorCode = error };
            }

            var expiresIn = root.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 3600;
            var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
            return new SavedTokens(access.GetString()!, refresh, clock.GetUtcNow().AddSeconds(expiresIn));
        }
    }
}
