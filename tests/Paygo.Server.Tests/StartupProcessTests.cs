using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Paygo.Server.Hosting;

namespace Paygo.Server.Tests;

/// <summary>The server as an operator starts it: a separate process with command-line options.</summary>
public sealed class StartupProcessTests
{
    [Fact]
    public async Task Start_OnAnEmptyDataDirectory_IsReadyWithin60Seconds()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("paygo-start-").FullName;
        var port = FreePort();
        using var server = StartServer($"--urls http://127.0.0.1:{port} --data-dir {dataDirectory} --demo true");
        try
        {
            using var client = new HttpClient();
            var deadline = Stopwatch.StartNew();
            HttpStatusCode? status = null;
            while (deadline.Elapsed < TimeSpan.FromSeconds(60) && status != HttpStatusCode.OK)
            {
                Assert.False(server.HasExited, $"The server exited with {(server.HasExited ? server.ExitCode : 0)}.");
                try
                {
                    using var response = await client.GetAsync($"http://127.0.0.1:{port}/health/ready", TestContext.Current.CancellationToken);
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200, TestContext.Current.CancellationToken);
                }
            }

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(File.Exists(Path.Combine(dataDirectory, "paygo.db")));
            Assert.True(File.Exists(Path.Combine(dataDirectory, "demo-credentials.json")));
            using var anonymous = await client.GetAsync($"http://127.0.0.1:{port}/v1/partners", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--database \"Host=127.0.0.1;Port=1;Database=paygo;Username=paygo;Password=secret\"", "cannot use the PostgreSQL database at 127.0.0.1:1/paygo")]
    [InlineData("--database \"Host=127.0.0.1;NoSuchKeyword=1\"", "Paygo cannot start")]
    [InlineData("--demo maybe", "--demo must be true or false")]
    public async Task Start_WithAnUnusableDatabaseOrOption_ExitsNonZeroWithOneSentence(string options, string expected)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("paygo-start-").FullName;
        using var server = StartServer($"--urls http://127.0.0.1:{FreePort()} --data-dir {dataDirectory} {options}");
        var stderr = server.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = server.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await server.WaitForExitAsync(timeout.Token);

        Assert.Equal(HostingExtensions.StartupFailedExitCode, server.ExitCode);
        // Structured log lines (JSON objects) may precede it; the operator's message is one plain line.
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('{'));
        var line = Assert.Single(lines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", await stdout, StringComparison.Ordinal);
        Directory.Delete(dataDirectory, recursive: true);
    }

    private static Process StartServer(string arguments)
    {
        var serverDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", $"\"{serverDll}\" {arguments}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
