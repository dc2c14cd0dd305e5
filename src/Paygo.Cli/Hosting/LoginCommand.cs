using System.CommandLine;

namespace Paygo.Cli.Hosting;

/// <summary>
/// <c>paygo login</c>: signs in with password and a one-time code from the authenticator app
/// (every sign-in needs both) and saves the tokens for later commands.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var user = new Option<string>("--user") { Description = "E-mail address of the user.", Required = true };
        var password = new Option<string?>("--password") { Description = "Password (else PAYGO_PASSWORD, else asked on standard input)." };
        var otp = new Option<string?>("--otp") { Description = "The current 6-digit code of the authenticator app, or a recovery code (else asked)." };
        var command = new Command("login", "Signs in with password and second factor and keeps the token for later commands.") { user, password, otp };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var address = parsed.GetValue(server)!;
            var secret = parsed.GetValue(password) ?? environment.Variable("PAYGO_PASSWORD") ?? await AskAsync(environment, "Password: ");
            var code = parsed.GetValue(otp) ?? await AskAsync(environment, "One-time code: ");
            using var http = environment.CreateHttpClient(address);
            var tokens = await TokenClient.PasswordAsync(http, parsed.GetValue(user)!, secret, code, TimeProvider.System, cancellationToken);
            var store = new CredentialStore(environment);
            store.Save(address, tokens);
            environment.Output.WriteLine($"Signed in to {address} as {parsed.GetValue(user)}; the token is saved in {store.FilePath}.");
            return 0;
        }));
        return command;
    }

    private static async Task<string> AskAsync(CliEnvironment environment, string prompt)
    {
        await environment.Error.WriteAsync(prompt);
        return (await Console.In.ReadLineAsync())?.Trim() ?? throw new CliFailure("No answer on standard input.");
    }
}
