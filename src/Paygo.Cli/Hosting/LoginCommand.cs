using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Paygo.Cli.Hosting;

/// <summary>
/// <c>paygo login</c>: by default in the browser (authorization code with PKCE to a loopback
/// address), <c>--device</c> from a machine without a browser (device flow), or for scripts with
/// <c>--otp</c> and the password (password grant, when the server allows it). Every way needs the
/// password and a second factor; the tokens are saved for later commands.
/// </summary>
internal static class LoginCommand
{
    public static readonly TimeSpan WaitForBrowser = TimeSpan.FromMinutes(5);

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var user = new Option<string?>("--user") { Description = "E-mail address of the user (with --otp)." };
        var password = new Option<string?>("--password") { Description = "Password, with --otp (else PAYGO_PASSWORD, else asked on standard input)." };
        var otp = new Option<string?>("--otp") { Description = "Sign in without a browser: the authenticator's current 6-digit code or a recovery code, with --user and the password." };
        var device = new Option<bool>("--device") { Description = "Sign in on another device's browser by typing a short code (device flow)." };
        var command = new Command("login", "Signs in (password and second factor) and keeps the token for later commands.") { user, password, otp, device };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var address = parsed.GetValue(server)!;
            using var http = environment.CreateHttpClient(address);
            SavedTokens tokens;
            if (parsed.GetValue(otp) is { } code)
            {
                var email = parsed.GetValue(user) ?? throw new CliFailure("--otp needs --user <e-mail>.");
                var secret = parsed.GetValue(password) ?? environment.Variable("PAYGO_PASSWORD") ?? await AskAsync(environment, "Password: ");
                tokens = await TokenClient.PasswordAsync(http, email, secret, code, TimeProvider.System, cancellationToken);
            }
            else if (parsed.GetValue(device))
            {
                tokens = await DeviceAsync(environment, http, cancellationToken);
            }
            else
            {
                tokens = await BrowserAsync(environment, http, address, cancellationToken);
            }

            var store = new CredentialStore(environment);
            store.Save(address, tokens);
            environment.Output.WriteLine($"Signed in to {address}; the token is saved in {store.FilePath}.");
            return 0;
        }));
        return command;
    }

    private static async Task<SavedTokens> BrowserAsync(CliEnvironment environment, HttpClient http, Uri server, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var redirectUri = $"http://127.0.0.1:{port}/callback";
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();

        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = new Uri(server, "/connect/authorize" +
            $"?client_id={TokenClient.ClientId}&response_type=code&scope=offline_access" +
            $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&code_challenge={challenge}&code_challenge_method=S256&state={state}");
        environment.Output.WriteLine("Open this address in your browser and sign in (password and authenticator code):");
        environment.Output.WriteLine(authorize.ToString());

        HttpListenerContext callback;
        try
        {
            callback = await listener.GetContextAsync().WaitAsync(WaitForBrowser, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new CliFailure($"No sign-in arrived within {WaitForBrowser.TotalMinutes} minutes.");
        }

        var query = callback.Request.QueryString;
        var ok = query["state"] == state && !string.IsNullOrEmpty(query["code"]);
        await RespondAsync(callback, ok ? "You are signed in to Paygo. You can close this window." : "Paygo sign-in failed; see the terminal.");
        if (!ok)
        {
            throw new CliFailure($"The browser sign-in failed: {query["error_description"] ?? query["error"] ?? "the answer did not match this login"}.");
        }

        return await TokenClient.AuthorizationCodeAsync(http, query["code"]!, redirectUri, verifier, TimeProvider.System, cancellationToken);
    }

    private static async Task<SavedTokens> DeviceAsync(CliEnvironment environment, HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri("/connect/device", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = TokenClient.ClientId,
            ["scope"] = "offline_access",
        }), cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = json.RootElement;
        if (!response.IsSuccessStatusCode || !root.TryGetProperty("device_code", out var deviceCode))
        {
            throw new CliFailure($"The server refused the device sign-in: {(root.TryGetProperty("error_description", out var d) ? d.GetString() : response.StatusCode.ToString())}");
        }

        var userCode = root.GetProperty("user_code").GetString();
        var uri = root.TryGetProperty("verification_uri_complete", out var complete) ? complete.GetString() : root.GetProperty("verification_uri").GetString();
        var interval = TimeSpan.FromSeconds(root.TryGetProperty("interval", out var i) ? i.GetInt32() : 5);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(root.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 300);
        environment.Output.WriteLine($"On any device, open {uri} , sign in and approve the code {userCode}.");
        environment.Output.Flush();

        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(interval, cancellationToken);
            var (tokens, slowDown) = await TokenClient.PollDeviceAsync(http, deviceCode.GetString()!, TimeProvider.System, cancellationToken);
            if (tokens is not null)
            {
                return tokens;
            }

            if (slowDown)
            {
                interval += TimeSpan.FromSeconds(5);
            }
        }

        throw new CliFailure("The code expired before it was approved; run paygo login --device again.");
    }

    private static async Task RespondAsync(HttpListenerContext context, string message)
    {
        var body = Encoding.UTF8.GetBytes($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Paygo</title></head><body><p>{WebUtility.HtmlEncode(message)}</p></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<string> AskAsync(CliEnvironment environment, string prompt)
    {
        await environment.Error.WriteAsync(prompt);
        return (await Console.In.ReadLineAsync())?.Trim() ?? throw new CliFailure("No answer on standard input.");
    }
}
