using System.CommandLine;

namespace Paygo.Cli.Hosting;

/// <summary><c>--server</c>: the Paygo server to talk to; <c>PAYGO_SERVER</c> or http://localhost:5080 by default.</summary>
internal static class ServerOption
{
    public const string DefaultServer = "http://localhost:5080";

    public static Option<Uri> Create(CliEnvironment environment) => new("--server")
    {
        Description = $"Base address of the Paygo server (env PAYGO_SERVER; default {DefaultServer}).",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(environment.Variable("PAYGO_SERVER") is { Length: > 0 } value ? value : DefaultServer),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : DefaultServer;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--server must be an http or https address, not '{text}'.");
            return null;
        },
    };
}
