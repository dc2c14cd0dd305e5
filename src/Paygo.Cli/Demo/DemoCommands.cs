using System.CommandLine;
using System.Text.Json;
using Paygo.Cli.Hosting;
using Paygo.Core.Identity;

namespace Paygo.Cli.Demo;

/// <summary>
/// <c>paygo demo code &lt;email&gt;</c>: the current authenticator code of a demo user, read from
/// the demo instance's <c>demo-credentials.json</c>. A newcomer can sign in without first adding
/// the TOTP key to an authenticator app; a production instance has no such file (docs/adr/0006).
/// </summary>
internal static class DemoCommands
{
    public const string CredentialsFile = "demo-credentials.json";

    public static Command Create(CliEnvironment environment)
    {
        var demo = new Command("demo", "Helpers for the demo instance (local, reads the data directory).");
        var email = new Argument<string>("email") { Description = "E-mail address of a demo user, as demo-credentials.json lists it." };
        var dataDirectory = new Option<string?>("--data-dir")
        {
            Description = "The server's data directory, which holds demo-credentials.json (env PAYGO_DATA_DIR; default ./data).",
        };
        var code = new Command("code", "Prints a demo user's current 6-digit authenticator code (valid about 30 s, once).") { email, dataDirectory };
        code.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var folder = parsed.GetValue(dataDirectory) ?? environment.Variable("PAYGO_DATA_DIR") ?? "./data";
            var path = Path.GetFullPath(Path.Combine(folder, CredentialsFile));
            if (!File.Exists(path))
            {
                throw new CliFailure($"There is no {path}: start the demo server first (dotnet run --project src/Paygo.Server), or give its --data-dir.");
            }

            var wanted = parsed.GetValue(email)!;
            string? secret = null;
            try
            {
                await using var stream = File.OpenRead(path);
                using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
                secret = json.RootElement.GetProperty("users").EnumerateArray()
                    .Where(u => string.Equals(u.GetProperty("email").GetString(), wanted, StringComparison.OrdinalIgnoreCase))
                    .Select(u => u.GetProperty("totpSecret").GetString())
                    .FirstOrDefault();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CliFailure($"{path} is not a demo credentials file: {e.Message}");
            }

            if (secret is null)
            {
                throw new CliFailure($"{path} lists no demo user {wanted}.");
            }

            environment.Output.WriteLine(Totp.Code(secret, Totp.TimeStep(DateTimeOffset.UtcNow)));
            return 0;
        }));
        demo.Subcommands.Add(code);
        return demo;
    }
}
