using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary>Runs <c>paygo</c> in-process with captured output, against a test server when one is given.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(PaygoServer? server, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Func<HttpMessageHandler> handler = server is not null && server.SocketAddress is null
            ? () => server.Server.CreateHandler()
            : () => new SocketsHttpHandler();
        var environment = new CliEnvironment(output, error, _ => null, handler);
        var serverArgs = server is null ? [] : new[] { "--server", (server.SocketAddress ?? new Uri("http://localhost")).ToString() };
        var exitCode = await PaygoCli.RunAsync([.. args, .. serverArgs], environment, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
