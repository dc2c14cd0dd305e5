using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Paygo.Server.Tests;

/// <summary>
/// The server as a separate process (as StartupProcessTests starts it), for tests that kill it: the
/// output is drained so a chatty server never blocks on a full pipe, and the last lines of its
/// standard error are kept for a failure message.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _errors = new();

    private ServerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_errors)
                {
                    _errors.Enqueue(line);
                    if (_errors.Count > 20)
                    {
                        _errors.Dequeue();
                    }
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static ServerProcess Start(params string[] arguments)
    {
        var serverDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(serverDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.WorkingDirectory = Path.GetDirectoryName(serverDll)!;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>
    /// Waits for /health/ready to answer 200 (up to 3 minutes: on two cores shared with parallel
    /// builds a cold start has taken over a minute); fails if the server exits first.
    /// </summary>
    public async Task WaitReadyAsync(Uri address, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = address };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            Assert.False(_process.HasExited, $"The server exited with {(_process.HasExited ? _process.ExitCode : 0)}: {LastErrors}");
            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        Assert.Fail($"The server was not ready within 3 minutes: {LastErrors}");
    }

    public string LastErrors
    {
        get
        {
            lock (_errors)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    /// <summary>SIGKILL on Unix: no shutdown, no flush, no finally block in the server runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
