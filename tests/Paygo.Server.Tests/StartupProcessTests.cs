using System.Diagnostics;
using System.Net;
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

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Start_OnAnEmptyDataDirectory_KeepsItsFilesToTheServersUser()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("File modes are a Unix matter.");
        }

        // A folder that does not exist yet, under a shell whose umask would give 0755 and 0644.
        var parent = Directory.CreateTempSubdirectory("paygo-modes-").FullName;
        var dataDirectory = Path.Combine(parent, "data");
        var port = FreePort();
        using var server = StartServer($"--urls http://127.0.0.1:{port} --data-dir {dataDirectory} --demo true", umask: "022");
        try
        {
            await WaitReadyAsync(server, port);

            const UnixFileMode Directory700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(Directory700, File.GetUnixFileMode(dataDirectory));
            Assert.Equal(Directory700, File.GetUnixFileMode(Path.Combine(dataDirectory, "keys")));
            foreach (var file in new[] { "paygo.db", "paygo.db-wal", "paygo.db-shm", "demo-credentials.json" })
            {
                var path = Path.Combine(dataDirectory, file);
                Assert.True(File.Exists(path), $"{file} is missing.");
                Assert.True(File.GetUnixFileMode(path) == File600, $"{file} has mode {File.GetUnixFileMode(path)}.");
            }

            foreach (var key in Directory.GetFiles(Path.Combine(dataDirectory, "keys")))
            {
                Assert.True(File.GetUnixFileMode(key) == File600, $"{Path.GetFileName(key)} has mode {File.GetUnixFileMode(key)}.");
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task DotnetRun_FromAnotherFolder_KeepsTheDataInThatFoldersData()
    {
        // The README's `dotnet run --project src/Paygo.Server`, typed in the clone's root, must
        // create ./data/paygo.db there, not in src/Paygo.Server/data.
        var root = RepositoryRoot();
        var caller = Directory.CreateTempSubdirectory("paygo-run-").FullName;
        var projectData = Path.Combine(root, "src", "Paygo.Server", "data");
        var hadProjectData = Directory.Exists(projectData);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var port = FreePort();
        var start = new ProcessStartInfo(
            "dotnet",
            $"run --no-build -c {configuration} --project \"{Path.Combine(root, "src", "Paygo.Server")}\" -- --urls http://127.0.0.1:{port} --demo false")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = caller,
        };
        using var server = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        try
        {
            await WaitReadyAsync(server, port);

            Assert.True(File.Exists(Path.Combine(caller, "data", "paygo.db")), $"No data/paygo.db in the folder dotnet run was typed in ({caller}).");
            Assert.True(hadProjectData || !Directory.Exists(projectData), "dotnet run created src/Paygo.Server/data.");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(caller, recursive: true);
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

    /// <summary>Waits up to 60 s for /health/ready to answer 200; fails if the server exits first.</summary>
    private static async Task WaitReadyAsync(Process server, int port)
    {
        // Read the output away, so a chatty server never blocks on a full pipe.
        _ = server.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = server.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(server.HasExited, $"The server exited with {(server.HasExited ? server.ExitCode : 0)}: {(server.HasExited ? await stderr : string.Empty)}");
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/health/ready", TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The server was not ready within 60 s.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }

    private static Process StartServer(string arguments, string? umask = null)
    {
        var serverDll = typeof(Program).Assembly.Location;

        // With a umask, through a shell that sets it and then becomes the server (exec), so Kill reaches it.
        var start = umask is null
            ? new ProcessStartInfo("dotnet", $"\"{serverDll}\" {arguments}")
            : new ProcessStartInfo("/bin/sh", ["-c", $"umask {umask} && exec dotnet \"{serverDll}\" {arguments}"]);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetDirectoryName(serverDll)!;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static int FreePort() => ServerProcess.FreePort();
}
