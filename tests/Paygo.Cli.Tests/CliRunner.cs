using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary>Runs <c>paygo</c> in-process with captured output, against a test server when one is given.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(PaygoServer? server, params string[] args) =>
        RunAsync(server, new Dictionary<string, string>(), args);

    /// <summary>Runs with environment variables; against a server, <c>PAYGO_TOKEN</c> holds the operator admin's token unless given.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(PaygoServer? server, Dictionary<string, string> variables, params string[] args)
    {
        if (server is not null && !variables.ContainsKey("PAYGO_TOKEN") && !variables.ContainsKey("PAYGO_CONFIG_DIR"))
        {
            variables["PAYGO_TOKEN"] = await server.GetTokenAsync();
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        Func<HttpMessageHandler> handler = server is not null && server.SocketAddress is null
            ? () => server.Server.CreateHandler()
            : () => new SocketsHttpHandler();
        var environment = new CliEnvironment(output, error, name => variables.GetValueOrDefault(name), handler);
        var serverArgs = server is null ? [] : new[] { "--server", (server.SocketAddress ?? new Uri("http://localhost")).ToString() };
        var exitCode = await PaygoCli.RunAsync([.. args, .. serverArgs], environment, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
